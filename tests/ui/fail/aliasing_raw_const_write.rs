// Aliasing (Stacked Borrows only): `&raw const x` is a raw retag that makes a SharedReadOnly tag, so
// casting the pointer to `*mut` and writing through it is UB under Stacked Borrows. Tree Borrows gives
// raw pointers no tag of their own (the pointer keeps the local's tag) and accepts this program.
fn main() {
    let mut x = 0u32;
    let p = &raw const x;
    let q = p as *mut u32;
    unsafe { *q = 1 }; //~ ERROR: but that tag only grants SharedReadOnly permission for this location
    x += 1;
    let _val = x;
}
