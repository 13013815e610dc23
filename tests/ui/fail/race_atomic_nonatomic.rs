// Data race between an atomic store and a non-atomic read of the same location.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::sync::atomic::{AtomicU32, Ordering};
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
    let _v = unsafe { *(p.0 as *mut u32) }; //~ ERROR: Data race detected between (1) atomic store on thread `unnamed-1` and (2) non-atomic read on thread `main`
    t.join().unwrap();
    drop(unsafe { Box::from_raw(p.0) });
}
