// The biggest alignment rustc supports is served (and honoured).
use std::alloc::{Layout, alloc, dealloc};

fn main() {
    let layout = Layout::from_size_align(16, 1 << 29).unwrap();
    unsafe {
        let p = alloc(layout);
        println!("{}", p.is_null() || (p as usize) % (1 << 29) == 0);
        if !p.is_null() {
            dealloc(p, layout);
        }
    }
}
