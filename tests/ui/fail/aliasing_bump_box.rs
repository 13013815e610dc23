//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a bump allocator hands out `*mut u8` from `&self` over a `Box<[u8]>`. The pointers are
// derived from a shared reference to the buffer (`self.buf.as_ptr()` goes through `&[u8]`), so writing
// through them is UB under both models. The correct version keeps the buffer in an `UnsafeCell`
// (tests/ui/pass/aliasing_bump_allocator.rs).
use std::cell::Cell;

struct Bump {
    buf: Box<[u8]>,
    next: Cell<usize>,
}

impl Bump {
    fn new(size: usize) -> Self {
        Bump { buf: vec![0u8; size].into_boxed_slice(), next: Cell::new(0) }
    }

    fn alloc(&self, n: usize) -> *mut u8 {
        let off = self.next.get();
        assert!(off + n <= self.buf.len(), "out of memory");
        self.next.set(off + n);
        unsafe { self.buf.as_ptr().add(off) as *mut u8 }
    }
}

fn main() {
    let bump = Bump::new(16);
    let a = bump.alloc(4);
    unsafe { a.write(7) };
    //~[stack]^ ERROR: but that tag only grants SharedReadOnly permission for this location
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
