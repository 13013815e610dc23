//@check-pass
//@compile-flags: -Zmiri-address-reuse-cross-thread-rate=1.0
// An allocation at an address another thread freed happens after that free: the write the other
// thread made before freeing is visible without a data race. Twin: tests/ui/fail/race_relaxed_flag.rs
// (a relaxed flag is no such edge: the accesses race).
#![feature(sync_unsafe_cell)]
use std::cell::SyncUnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread;

static FREED_AT: AtomicUsize = AtomicUsize::new(0);
static DATA: SyncUnsafeCell<u32> = SyncUnsafeCell::new(0);

fn box_addr() -> usize {
    let b = Box::new(5u64);
    (&*b as *const u64).addr()
}

fn main() {
    let mut found = false;
    while !found {
        let writer = thread::spawn(|| {
            unsafe { DATA.get().write(99) };
            FREED_AT.store(box_addr(), Relaxed);
        });
        let reader = thread::spawn(|| {
            for _ in 0..16 {
                if box_addr() == FREED_AT.load(Relaxed) {
                    assert_eq!(unsafe { DATA.get().read() }, 99);
                    return true;
                }
            }
            false
        });
        writer.join().unwrap();
        found = reader.join().unwrap();
        FREED_AT.store(0, Relaxed);
        unsafe { DATA.get().write(0) };
    }
    println!("reused another thread's address, synchronized");
}
