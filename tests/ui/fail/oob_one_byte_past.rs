// Out-of-bounds read by one byte: a 4-byte read that starts 1 byte into a 4-byte allocation
// (`read_unaligned`, so alignment is not the problem).
fn main() {
    let a = [1u8, 2, 3, 4];
    let p = a.as_ptr().wrapping_add(1).cast::<u32>();
    let _x = unsafe { p.read_unaligned() }; //~ ERROR: memory access failed
}
