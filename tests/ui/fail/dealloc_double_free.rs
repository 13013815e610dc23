// Double free: `std::alloc::dealloc` is called twice on the same allocation.
use std::alloc::{alloc, dealloc, Layout};

fn main() {
    let layout = Layout::from_size_align(16, 8).unwrap();
    unsafe {
        let p = alloc(layout);
        dealloc(p, layout);
        dealloc(p, layout); //~ ERROR: has already been freed
    }
}
