// Data race on a stack local of the main thread, shared with a spawned thread through a raw
// pointer: both write it.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::thread;

#[derive(Clone, Copy)]
struct SendPtr(*mut i32);
unsafe impl Send for SendPtr {}

fn main() {
    let mut local = 0i32;
    let p = SendPtr(&raw mut local);
    let t = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 = 1 };
    });
    thread::yield_now();
    unsafe { *p.0 = 2 }; //~ ERROR: Data race detected between (1) non-atomic write on thread `unnamed-1` and (2) non-atomic write on thread `main`
    t.join().unwrap();
    let _ = local;
}
