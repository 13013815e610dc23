// Data race: one thread reads a heap value that another writes, without synchronization.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::thread;

#[derive(Clone, Copy)]
struct SendPtr(*mut u32);
unsafe impl Send for SendPtr {}

fn main() {
    let p = SendPtr(Box::into_raw(Box::new(7u32)));
    let reader = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 }
    });
    let writer = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 = 8 }; //~ ERROR: Data race detected between (1) non-atomic read on thread `unnamed-1` and (2) non-atomic write on thread `unnamed-2`
    });
    reader.join().unwrap();
    writer.join().unwrap();
    drop(unsafe { Box::from_raw(p.0) });
}
