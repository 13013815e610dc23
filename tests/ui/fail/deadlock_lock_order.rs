// Deadlock by lock-order inversion: each thread holds one lock and waits for the other.
//@compile-flags: -Zvigil-deterministic-concurrency
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let barrier = Arc::new(Barrier::new(2));
    let (a2, b2, barrier2) = (a.clone(), b.clone(), barrier.clone());
    let t = thread::spawn(move || {
        let _gb = b2.lock().unwrap();
        barrier2.wait();
        let _ga = a2.lock().unwrap(); //~ ERROR: the evaluated program deadlocked
    });
    let _ga = a.lock().unwrap();
    barrier.wait();
    let _gb = b.lock().unwrap(); //~ ERROR: the evaluated program deadlocked
    drop(_gb);
    t.join().unwrap();
}
