//@compile-flags: -Zvigil-strict-provenance
// Strict provenance: an integer-to-pointer cast is not allowed.
fn main() {
    let x = 5u32;
    let addr = &x as *const u32 as usize;
    let _p = addr as *const u32; //~ ERROR: integer-to-pointer
}
