// Message passing with relaxed accesses only: the reader sees the flag set but may still read
// the data's old value ("stale").
//@ seeds: 0..32
//@ observed: stale
//@ observed: fresh
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::thread;

static DATA: AtomicU32 = AtomicU32::new(0);
static FLAG: AtomicU32 = AtomicU32::new(0);

fn main() {
    let writer = thread::spawn(|| {
        DATA.store(42, Relaxed);
        FLAG.store(1, Relaxed);
    });
    let reader = thread::spawn(|| {
        while FLAG.load(Relaxed) == 0 {
            thread::yield_now();
        }
        DATA.load(Relaxed)
    });
    writer.join().unwrap();
    println!("{}", if reader.join().unwrap() == 42 { "fresh" } else { "stale" });
}
