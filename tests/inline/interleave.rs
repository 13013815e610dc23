// Threads whose loops call a small function that Vigil inlines, preempted often: the schedule
// (and so the printed log) under a seed is the same with and without inlining (tests/inline.rs).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

fn small(x: usize) -> usize {
    x.wrapping_mul(3) ^ 1
}

fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let counter = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..3)
        .map(|t| {
            let log = log.clone();
            let counter = counter.clone();
            thread::spawn(move || {
                for i in 0..40 {
                    let v = small(i + t);
                    let c = counter.fetch_add(v % 3, Ordering::Relaxed);
                    if i % 8 == 0 {
                        log.lock().unwrap().push((t, i, c));
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{:?}", log.lock().unwrap());
}
