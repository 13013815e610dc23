// Deallocation with a size that differs from the allocation's.
use std::alloc::{alloc, dealloc, Layout};

fn main() {
    unsafe {
        let p = alloc(Layout::from_size_align(16, 8).unwrap());
        dealloc(p, Layout::from_size_align(8, 8).unwrap()); //~ ERROR: incorrect layout on deallocation
    }
}
