//@compile-flags: -Zvigil-symbolic-alignment-check
// Symbolic alignment: a `u32` read from a `[u8; 8]` local (alignment 1) at an offset chosen by address
// arithmetic so that the address happens to be 4-aligned; only the allocation's alignment counts.
fn main() {
    let a = [0u8; 8];
    let base = a.as_ptr();
    let off = (4 - base.addr() % 4) % 4;
    let p = base.wrapping_add(off).cast::<u32>();
    let _x = unsafe { *p }; //~ ERROR: alignment
}
