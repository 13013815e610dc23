//@check-pass
//@compile-flags: -Zmiri-symbolic-alignment-check
// A promise of alignment (`miri_promise_symbolic_alignment`) makes 8-byte reads from a buffer of
// `u32`s acceptable under symbolic alignment; promising less later changes nothing. Twin:
// tests/ui/fail/align_promise.rs.
unsafe extern "Rust" {
    fn miri_promise_symbolic_alignment(ptr: *const (), align: usize);
}

fn main() {
    let buffer = [7u32; 64];
    let p = buffer.as_ptr();
    let p8 = if p.addr() % 8 == 0 { p } else { p.wrapping_add(1) };
    unsafe { miri_promise_symbolic_alignment(p8.cast(), 8) };
    unsafe { miri_promise_symbolic_alignment(p.cast(), 1) };
    let sum: u64 = (0..8).map(|i| unsafe { p8.cast::<u64>().add(i).read() } & 0xff).sum();
    println!("{sum}");
}
