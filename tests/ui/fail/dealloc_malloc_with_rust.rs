// C-heap memory (`malloc`) freed with the Rust allocator's `std::alloc::dealloc`.
use std::alloc::{dealloc, Layout};

extern "C" {
    fn malloc(size: usize) -> *mut u8;
}

fn main() {
    unsafe {
        let p = malloc(8);
        assert!(!p.is_null());
        dealloc(p, Layout::from_size_align(8, 1).unwrap()); //~ ERROR: deallocation operation
    }
}
