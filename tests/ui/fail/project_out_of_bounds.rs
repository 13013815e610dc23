// Taking the address of a field past the end of the allocation the pointer points into is UB,
// even with `&raw const` and no read. Twin: tests/ui/pass/project_in_bounds.rs.
fn main() {
    let v = 0u32;
    let p = (&raw const v).cast::<(u32, u32, u32)>();
    let _in_bounds = unsafe { &raw const (*p).1 };
    let _past = unsafe { &raw const (*p).2 }; //~ ERROR: in-bounds pointer arithmetic failed: attempting to offset pointer by 8 bytes
}
