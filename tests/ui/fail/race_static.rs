// Data race on a `static mut`: the main thread reads it while a spawned thread writes it.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::thread;

static mut COUNTER: u32 = 0;

fn main() {
    let t = thread::spawn(|| unsafe {
        COUNTER += 1;
    });
    thread::yield_now();
    let _seen = unsafe { COUNTER }; //~ ERROR: Data race detected between (1) non-atomic write on thread `unnamed-1` and (2) non-atomic read on thread `main`
    t.join().unwrap();
}
