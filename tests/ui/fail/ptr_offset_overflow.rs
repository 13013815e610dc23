// Pointer arithmetic overflow: `offset` by `isize::MAX` elements of 4 bytes does not fit in an `isize`.
fn main() {
    let a = [0u32; 2];
    let p = a.as_ptr();
    let _q = unsafe { p.offset(isize::MAX) }; //~ ERROR: pointer arithmetic
}
