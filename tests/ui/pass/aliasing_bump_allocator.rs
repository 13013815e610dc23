// Twin of tests/ui/fail/aliasing_bump_box.rs: a bump allocator that hands out `*mut u8` from `&self` keeps
// its buffer in an `UnsafeCell<[u8; N]>`, so pointers derived from `&self` may be written through.
use std::cell::{Cell, UnsafeCell};

struct Bump<const N: usize> {
    buf: UnsafeCell<[u8; N]>,
    next: Cell<usize>,
}

impl<const N: usize> Bump<N> {
    fn new() -> Self {
        Bump { buf: UnsafeCell::new([0; N]), next: Cell::new(0) }
    }

    fn alloc(&self, n: usize) -> Option<*mut u8> {
        let off = self.next.get();
        if off + n > N {
            return None;
        }
        self.next.set(off + n);
        Some(unsafe { (self.buf.get() as *mut u8).add(off) })
    }
}

fn main() {
    let bump: Bump<16> = Bump::new();
    let a = bump.alloc(4).unwrap();
    let b = bump.alloc(8).unwrap();
    unsafe {
        for i in 0..4 {
            a.add(i).write(i as u8 + 1);
        }
        for i in 0..8 {
            b.add(i).write(0xa0 + i as u8);
        }
        *a += 100;
    }
    let a_bytes = unsafe { std::slice::from_raw_parts(a, 4) };
    let b_bytes = unsafe { std::slice::from_raw_parts(b, 8) };
    println!("a: {a_bytes:?}");
    println!("b: {b_bytes:x?}");
    println!("third allocation of 8 bytes: {}", if bump.alloc(8).is_some() { "granted" } else { "refused" });
    println!("used: {}", bump.next.get());
}
