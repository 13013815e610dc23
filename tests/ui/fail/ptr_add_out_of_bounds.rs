// Out-of-bounds pointer arithmetic: `ptr.add(5)` on a 4-byte array (one-past-the-end is 4).
fn main() {
    let a = [0u8; 4];
    let p = a.as_ptr();
    let _q = unsafe { p.add(5) }; //~ ERROR: pointer arithmetic
}
