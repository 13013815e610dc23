// A `#[global_allocator]` serves every allocation of the program (Box, Vec, String, std's own),
// here counting them and forwarding to the system allocator; memory from it may be freed through
// `System` directly and the other way round, since both are the C heap. Twin:
// tests/ui/fail/dealloc_malloc_with_rust.rs (without a global allocator the Rust heap and the C
// heap do not mix).
#![feature(allocator_api, slice_ptr_get)]

use std::alloc::{Allocator as _, Global, GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        LIVE_BYTES.fetch_add(layout.size(), Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let before = (ALLOCS.load(Relaxed), LIVE_BYTES.load(Relaxed));
    {
        let v: Vec<u64> = (0..100).collect();
        let s = format!("{} items", v.len());
        let b = Box::new([7u8; 1000]);
        assert_eq!(s, "100 items");
        assert_eq!(b[999], 7);
        assert!(LIVE_BYTES.load(Relaxed) >= before.1 + 800 + 1000);
    }
    let after = (ALLOCS.load(Relaxed), LIVE_BYTES.load(Relaxed));
    println!("allocations through the global allocator: at least 3: {}", after.0 - before.0 >= 3);
    println!("all freed again: {}", after.1 == before.1);

    let l = Layout::from_size_align(64, 8).unwrap();
    let p = Global.allocate(l).unwrap().as_non_null_ptr();
    unsafe { System.deallocate(p, l) };
    let p = System.allocate(l).unwrap().as_non_null_ptr();
    unsafe { Global.deallocate(p, l) };
    println!("mixed Global and System");
}
