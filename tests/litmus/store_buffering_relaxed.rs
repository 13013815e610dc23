// Store buffering with relaxed accesses: each thread stores to one location and then loads the
// other. Both loads may miss both stores (C++20 allows "0 0"), as may any interleaving.
//@ seeds: 0..32
//@ observed: 0 0
//@ observed: 1 0
//@ observed: 0 1
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::thread;

static X: AtomicU32 = AtomicU32::new(0);
static Y: AtomicU32 = AtomicU32::new(0);

fn main() {
    let a = thread::spawn(|| {
        X.store(1, Relaxed);
        Y.load(Relaxed)
    });
    let b = thread::spawn(|| {
        Y.store(1, Relaxed);
        X.load(Relaxed)
    });
    println!("{} {}", a.join().unwrap(), b.join().unwrap());
}
