// Message passing with a release store and an acquire load of the flag: once the reader sees the
// flag, the data store happened before, so it is never stale.
//@ seeds: 0..32
//@ observed: fresh
//@ forbidden: stale
use std::sync::atomic::{AtomicU32, Ordering::{Acquire, Relaxed, Release}};
use std::thread;

static DATA: AtomicU32 = AtomicU32::new(0);
static FLAG: AtomicU32 = AtomicU32::new(0);

fn main() {
    let writer = thread::spawn(|| {
        DATA.store(42, Relaxed);
        FLAG.store(1, Release);
    });
    let reader = thread::spawn(|| {
        while FLAG.load(Acquire) == 0 {
            thread::yield_now();
        }
        DATA.load(Relaxed)
    });
    writer.join().unwrap();
    println!("{}", if reader.join().unwrap() == 42 { "fresh" } else { "stale" });
}
