// A foreign function declared with a parameter of another size than the C function's (`memset`
// takes the byte as an `int`, declared here as `u8`). Twin: tests/ui/pass/foreign_declarations.rs.
unsafe extern "C" {
    fn memset(dest: *mut u8, c: u8, n: usize) -> *mut u8;
}

fn main() {
    let mut buf = [0u8; 4];
    unsafe { memset(buf.as_mut_ptr(), 7, buf.len()) }; //~ ERROR: scalar size mismatch: expected 4 bytes but got 1 bytes instead
    println!("{buf:?}");
}
