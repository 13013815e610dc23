// Sleeping costs no real time: main sleeps N seconds (the first argument) and three threads N seconds
// plus 300, 200, 100 ms on the virtual clock; `Instant` never goes backwards across threads (each thread's reading is
// received after it was taken and is followed by a later one).
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<Instant>();
    let mut handles = Vec::new();
    for i in 0..3u64 {
        let tx = tx.clone();
        handles.push(thread::spawn(move || {
            thread::sleep(Duration::from_secs(n) + Duration::from_millis(100 * (3 - i)));
            tx.send(Instant::now()).unwrap();
        }));
    }
    drop(tx);
    thread::sleep(Duration::from_secs(n));
    let mut last = start;
    let mut monotonic = true;
    for t in rx {
        monotonic &= t >= last;
        last = t;
        let now = Instant::now();
        monotonic &= now >= t;
    }
    for h in handles {
        h.join().unwrap();
    }
    let elapsed = start.elapsed();
    println!("slept: {}", elapsed >= Duration::from_secs(n));
    println!("not much longer: {}", elapsed < Duration::from_secs(n + 1));
    println!("monotonic across threads: {monotonic}");
}
