// Deallocation through a pointer into the middle of an allocation.
use std::alloc::{alloc, dealloc, Layout};

fn main() {
    let layout = Layout::from_size_align(16, 8).unwrap();
    unsafe {
        let p = alloc(layout);
        dealloc(p.add(8), layout); //~ ERROR: does not point to the beginning of an allocation
    }
}
