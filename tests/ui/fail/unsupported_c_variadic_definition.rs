// C-variadic functions defined in Rust (`...` parameters read through `VaList`) are not supported
// yet: calling one stops with "unsupported operation" (not a UB report). C-variadic functions of
// the emulated OS are: tests/ui/pass/fs_roundtrip.rs (`open`).
#![feature(c_variadic)]

unsafe extern "C" fn sum(n: u32, mut args: ...) -> u32 {
    (0..n).map(|_| unsafe { args.next_arg::<u32>() }).sum()
}

fn main() {
    let s = unsafe { sum(2, 3u32, 4u32) }; //~ ERROR: unsupported operation: calling a C-variadic function defined in Rust
    println!("{s}");
}
