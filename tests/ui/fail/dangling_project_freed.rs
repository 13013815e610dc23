// Computing the place of a field through a dangling pointer is in-bounds pointer arithmetic on it,
// which is UB once the allocation is freed, even if the field is never read (`let _ = ...`).
// Twin: tests/ui/pass/project_in_bounds.rs.
fn main() {
    let p = {
        let b = Box::new((1u8, 2u8, 3u8, 4u8));
        &*b as *const (u8, u8, u8, u8)
    };
    unsafe {
        let _ = (*p).2; //~ ERROR: in-bounds pointer arithmetic failed: alloc
    }
}
