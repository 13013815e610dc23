// The correct twins of the deadlock programs in tests/ui/fail: a relock avoided with try_lock,
// two locks always taken in the same order, a condition variable that is signaled, and a join of
// a thread that does not wait for the joiner.
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, TryLockError};
use std::thread;

fn main() {
    let m = Mutex::new(1);
    let g = m.lock().unwrap();
    match m.try_lock() {
        Err(TryLockError::WouldBlock) => println!("relock refused while held"),
        _ => println!("unexpected"),
    }
    drop(g);
    println!("relock after unlock: {}", *m.lock().unwrap());

    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let hs: Vec<_> = (0..2)
        .map(|i| {
            let (a, b) = (a.clone(), b.clone());
            thread::spawn(move || {
                for _ in 0..5 {
                    let mut ga = a.lock().unwrap();
                    let mut gb = b.lock().unwrap();
                    *ga += i;
                    *gb += 1;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("same lock order: a={} b={}", *a.lock().unwrap(), *b.lock().unwrap());

    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let p2 = pair.clone();
    let t = thread::spawn(move || {
        *p2.0.lock().unwrap() = true;
        p2.1.notify_one();
    });
    let mut ready = pair.0.lock().unwrap();
    while !*ready {
        ready = pair.1.wait(ready).unwrap();
    }
    drop(ready);
    t.join().unwrap();
    println!("condvar signaled");

    let (tx, rx) = mpsc::channel::<u32>();
    tx.send(7).unwrap();
    let t = thread::spawn(move || rx.recv().unwrap() * 6);
    println!("joined: {}", t.join().unwrap());
}
