// Data race: two threads write the same heap integer through a raw pointer, neither write
// ordered before the other.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::thread;

#[derive(Clone, Copy)]
struct SendPtr(*mut u64);
unsafe impl Send for SendPtr {}

fn main() {
    let p = SendPtr(Box::into_raw(Box::new(0u64)));
    let a = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 = 1 };
    });
    let b = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 = 2 }; //~ ERROR: Data race detected between (1) non-atomic write on thread `unnamed-1` and (2) non-atomic write on thread `unnamed-2`
    });
    a.join().unwrap();
    b.join().unwrap();
    drop(unsafe { Box::from_raw(p.0) });
}
