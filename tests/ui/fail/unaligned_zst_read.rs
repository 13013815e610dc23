//@compile-flags: -Zmiri-symbolic-alignment-check
// Reading a zero-sized value through a pointer still requires the pointer's alignment.
fn main() {
    let bytes = [0u8; 8];
    let p = bytes.as_ptr().wrapping_add(1) as *const [u32; 0];
    let _empty = unsafe { *p }; //~ ERROR: alignment 4 is required
}
