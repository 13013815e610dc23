// Out-of-bounds read on the heap: a pointer well beyond a `Box`'s allocation (made with `wrapping_add`,
// so the arithmetic itself is fine) is read.
fn main() {
    let b = Box::new([7u8; 8]);
    let p = (&*b as *const [u8; 8]).cast::<u8>().wrapping_add(12);
    let _x = unsafe { *p }; //~ ERROR: memory access failed
}
