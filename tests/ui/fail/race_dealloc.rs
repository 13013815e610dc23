// Data race with a deallocation: the main thread frees memory that a spawned thread reads
// without synchronization.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::alloc::{alloc, dealloc, Layout};
use std::thread;

#[derive(Clone, Copy)]
struct SendPtr(*mut u64);
unsafe impl Send for SendPtr {}

fn main() {
    let layout = Layout::new::<u64>();
    let p = SendPtr(unsafe { alloc(layout) } as *mut u64);
    unsafe { p.0.write(5) };
    let t = thread::spawn(move || {
        let p = p;
        unsafe { p.0.read() }
    });
    thread::yield_now();
    unsafe { dealloc(p.0 as *mut u8, layout) }; //~ ERROR: Data race detected between (1) non-atomic read on thread `unnamed-1` and (2) deallocation on thread `main`
    t.join().unwrap();
}
