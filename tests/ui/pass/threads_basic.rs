// Threads with deterministic output: spawn + join with return values, Arc<Mutex> accumulation, scoped threads,
// mpsc channel (results sorted), thread names, panicking thread observed through join() (message on stderr).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let handles: Vec<_> = (0..4u64).map(|i| thread::spawn(move || (0..=i * 100).sum::<u64>())).collect();
    let sums: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("sums {:?}", sums);

    let m = Arc::new(Mutex::new(0u64));
    let hs: Vec<_> = (0..3)
        .map(|i| {
            let m = Arc::clone(&m);
            thread::spawn(move || {
                for k in 0..50 {
                    *m.lock().unwrap() += i * 1000 + k;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("mutex total {} strong {}", *m.lock().unwrap(), Arc::strong_count(&m));

    let hits = AtomicUsize::new(0);
    let mut local = vec![0u32; 3];
    thread::scope(|s| {
        for slot in local.iter_mut() {
            let hits = &hits;
            s.spawn(move || {
                for _ in 0..20 {
                    hits.fetch_add(1, Ordering::Relaxed);
                }
                *slot = 7;
            });
        }
    });
    println!("scoped hits {} local {:?}", hits.load(Ordering::SeqCst), local);

    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || {
            for j in 0..3 {
                tx.send(id * 10 + j).unwrap();
            }
        });
    }
    drop(tx);
    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    println!("channel {:?}", got);

    let named = thread::Builder::new()
        .name("worker-1".into())
        .spawn(|| thread::current().name().map(|s| s.to_string()))
        .unwrap();
    println!("thread name {:?}", named.join().unwrap());

    let code = 7;
    let r = thread::spawn(move || {
        if thread::current().name().is_none() {
            panic!("worker failed with code {}", code);
        }
        5
    })
    .join();
    match r {
        Ok(v) => println!("unexpected ok {}", v),
        Err(p) => println!("join error payload: {:?}", p.downcast_ref::<String>()),
    }
    println!("main thread name {:?}", thread::current().name());
}
