// A data race "fixed" with a relaxed flag: the flag is atomic, but a relaxed store and load do
// not order the data write before the data read.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);
static mut DATA: u64 = 0;

fn main() {
    let producer = thread::spawn(|| {
        unsafe { DATA = 42 };
        READY.store(true, Ordering::Relaxed);
    });
    while !READY.load(Ordering::Relaxed) {
        thread::yield_now();
    }
    let _v = unsafe { DATA }; //~ ERROR: Data race detected between (1) non-atomic write on thread `unnamed-1` and (2) non-atomic read on thread `main`
    producer.join().unwrap();
}
