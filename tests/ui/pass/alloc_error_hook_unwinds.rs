// `handle_alloc_error` runs the hook set with `set_alloc_error_hook`; a hook that panics
// unwinds out of it (destructors run, `catch_unwind` catches it).
#![feature(alloc_error_hook)]

use std::alloc::{Layout, handle_alloc_error, set_alloc_error_hook};

struct Noisy;

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("dropped while unwinding");
    }
}

fn main() {
    set_alloc_error_hook(|layout| panic!("no memory for {} bytes", layout.size()));
    std::panic::set_hook(Box::new(|info| println!("hook: {}", info.payload_as_str().unwrap_or("?"))));
    let r = std::panic::catch_unwind(|| {
        let _n = Noisy;
        handle_alloc_error(Layout::new::<[u64; 3]>());
    });
    println!("caught: {}", r.is_err());
}
