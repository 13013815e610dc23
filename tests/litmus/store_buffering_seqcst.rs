// Store buffering with SeqCst accesses: a single total order of the four accesses means at
// least one load sees the other thread's store; "0 0" is impossible.
//@ seeds: 0..32
//@ observed: 1 0
//@ observed: 0 1
//@ forbidden: 0 0
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::thread;

static X: AtomicU32 = AtomicU32::new(0);
static Y: AtomicU32 = AtomicU32::new(0);

fn main() {
    let a = thread::spawn(|| {
        X.store(1, SeqCst);
        Y.load(SeqCst)
    });
    let b = thread::spawn(|| {
        Y.store(1, SeqCst);
        X.load(SeqCst)
    });
    println!("{} {}", a.join().unwrap(), b.join().unwrap());
}
