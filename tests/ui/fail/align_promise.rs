//@compile-flags: -Zmiri-symbolic-alignment-check
// With symbolic alignment, memory is only as aligned as its allocation says, unless the program
// promises more with `miri_promise_symbolic_alignment` (as crates do under `cfg(miri)` after
// aligning a pointer by hand): 8-byte reads at the promised offset are then fine, 16-byte ones
// still are not. Twin: tests/ui/fail/align_promise_ok.rs.
#[repr(align(16))]
#[derive(Clone, Copy)]
struct Align16(#[allow(dead_code)] u128);

unsafe extern "Rust" {
    fn miri_promise_symbolic_alignment(ptr: *const (), align: usize);
}

fn main() {
    let buffer = [0u32; 64];
    let p = buffer.as_ptr();
    let p8 = if p.addr() % 8 == 0 { p } else { p.wrapping_add(1) };
    unsafe { miri_promise_symbolic_alignment(p8.cast(), 8) };
    let _v = unsafe { p8.cast::<u64>().read() };
    let p16 = if p8.addr() % 16 == 0 { p8 } else { p8.wrapping_add(2) };
    let _w = unsafe { p16.cast::<Align16>().read() }; //~ ERROR: accessing memory based on pointer with alignment 8, but alignment 16 is required
}
