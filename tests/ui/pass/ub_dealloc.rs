// Twin of tests/ui/fail/dealloc_*: every allocation is freed exactly once, from its start, with the layout
// it was allocated with and by the allocator that made it (`std::alloc` pairs, `realloc`, `Box::from_raw`,
// C `malloc`/`free`).
use std::alloc::{alloc, alloc_zeroed, dealloc, realloc, Layout};

extern "C" {
    fn malloc(size: usize) -> *mut u8;
    fn free(p: *mut u8);
}

fn main() {
    unsafe {
        let layout = Layout::from_size_align(16, 8).unwrap();
        let p = alloc(layout);
        assert!(!p.is_null());
        p.write_bytes(3, 16);
        println!("alloc: byte 15 = {}", *p.add(15));
        let p = realloc(p, layout, 32);
        assert!(!p.is_null());
        println!("realloc keeps the contents: byte 15 = {}", *p.add(15));
        dealloc(p, Layout::from_size_align(32, 8).unwrap());

        let z = alloc_zeroed(Layout::new::<[u64; 4]>()).cast::<[u64; 4]>();
        println!("alloc_zeroed: {:?}", *z);
        dealloc(z.cast(), Layout::new::<[u64; 4]>());

        let b = Box::into_raw(Box::new(3u8));
        drop(Box::from_raw(b));

        let c = malloc(8);
        assert!(!c.is_null());
        c.write(9);
        println!("malloc: {}", *c);
        free(c);
        free(std::ptr::null_mut());
    }
    println!("all freed once");
}
