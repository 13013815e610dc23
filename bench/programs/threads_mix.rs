// (g) Threads: 4 workers share a Mutex-protected vector, an atomic counter and a channel to the
// main thread; each does ROUNDS rounds of locking, atomic updates and sends. Checksum printed.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

const WORKERS: u64 = 4;
const ROUNDS: u64 = 2_500;

fn main() {
    let shared = Arc::new(Mutex::new(Vec::with_capacity((WORKERS * ROUNDS) as usize)));
    let hits = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel::<u64>();
    let handles: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (shared, hits, tx) = (Arc::clone(&shared), Arc::clone(&hits), tx.clone());
            thread::spawn(move || {
                let mut local = 0u64;
                for r in 0..ROUNDS {
                    let v = w * 1_000_003 + r * 7;
                    shared.lock().unwrap().push(v);
                    hits.fetch_add(r & 3, Ordering::Relaxed);
                    local = local.wrapping_mul(31).wrapping_add(v);
                    if r % 10 == 0 {
                        tx.send(v).unwrap();
                    }
                }
                local
            })
        })
        .collect();
    drop(tx);
    let received: u64 = rx.iter().fold(0u64, |a, v| a.wrapping_add(v));
    let locals: u64 = handles.into_iter().map(|h| h.join().unwrap()).fold(0, u64::wrapping_add);
    let mut all = shared.lock().unwrap().clone();
    all.sort_unstable();
    let sum = all.iter().fold(0u64, |a, &v| a.wrapping_mul(3).wrapping_add(v));
    println!("len {} sum {} hits {} received {} locals {}", all.len(), sum, hits.load(Ordering::SeqCst), received, locals);
}
