//@ vigil-flags: -Zmiri-preemption-rate=1
// With a preemption at every basic block end, every thread still makes progress (each turn
// runs one block): workers share an atomic counter, a mutex and a channel.
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let hits = Arc::new(AtomicU32::new(0));
    let seen = Arc::new(Mutex::new(0u32));
    let (tx, rx) = mpsc::channel();
    let workers: Vec<_> = (0..3u32)
        .map(|w| {
            let (hits, seen, tx) = (Arc::clone(&hits), Arc::clone(&seen), tx.clone());
            thread::spawn(move || {
                for i in 0..5 {
                    hits.fetch_add(1, Ordering::Relaxed);
                    *seen.lock().unwrap() += w * 10 + i;
                }
                tx.send(w).unwrap();
            })
        })
        .collect();
    drop(tx);
    let mut sent: Vec<u32> = rx.iter().collect();
    sent.sort();
    for t in workers {
        t.join().unwrap();
    }
    println!("hits {} seen {} sent {sent:?}", hits.load(Ordering::SeqCst), *seen.lock().unwrap());
}
