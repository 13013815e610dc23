// Deadlock: waiting on a condition variable that nobody signals.
use std::sync::{Condvar, Mutex};

fn main() {
    let m = Mutex::new(false);
    let cv = Condvar::new();
    let mut ready = m.lock().unwrap();
    while !*ready {
        ready = cv.wait(ready).unwrap(); //~ ERROR: the evaluated program deadlocked
    }
}
