// No allocation may be larger than `isize::MAX` bytes: asking the Rust allocator (declared
// directly, bypassing `Layout`'s checks) for one is undefined behavior.
#![feature(rustc_attrs)]

extern "Rust" {
    #[rustc_std_internal_symbol]
    fn __rust_alloc(size: usize, align: usize) -> *mut u8;
}

fn main() {
    let p = unsafe { __rust_alloc(usize::MAX / 2 + 1, 8) }; //~ ERROR: creating an allocation larger than half the address space
    println!("{p:?}");
}
