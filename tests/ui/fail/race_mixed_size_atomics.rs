// Overlapping atomic accesses of different sizes that do not synchronize: a 4-byte store and a
// 2-byte load of its lower half.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::thread;

#[derive(Clone, Copy)]
struct SendPtr(*mut AtomicU32);
unsafe impl Send for SendPtr {}

fn main() {
    let p = SendPtr(Box::into_raw(Box::new(AtomicU32::new(0))));
    let t = thread::spawn(move || {
        let p = p;
        unsafe { (*p.0).store(1, Ordering::SeqCst) };
    });
    thread::yield_now();
    let half = unsafe { &*(p.0 as *const AtomicU16) };
    let _v = half.load(Ordering::SeqCst); //~ ERROR: Race condition detected between (1) 4-byte atomic store on thread `unnamed-1` and (2) 2-byte atomic load on thread `main`
    t.join().unwrap();
    drop(unsafe { Box::from_raw(p.0) });
}
