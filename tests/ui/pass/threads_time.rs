// Time with threads: sleeping, time-outs that expire (recv_timeout, Condvar::wait_timeout,
// park_timeout) and ones that do not, Instant measurements around a sleep.
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let start = Instant::now();
    thread::sleep(Duration::from_millis(50));
    println!("slept at least 50ms: {}", start.elapsed() >= Duration::from_millis(50));

    let (tx, rx) = mpsc::channel::<u32>();
    println!("recv_timeout with no sender message: {:?}", rx.recv_timeout(Duration::from_millis(20)));
    let t = thread::spawn(move || {
        thread::sleep(Duration::from_millis(5));
        tx.send(3).unwrap();
    });
    println!("recv_timeout with a message on time: {:?}", rx.recv_timeout(Duration::from_secs(10)));
    t.join().unwrap();

    let pair = Arc::new((Mutex::new(()), Condvar::new()));
    let g = pair.0.lock().unwrap();
    let (_g, res) = pair.1.wait_timeout(g, Duration::from_millis(10)).unwrap();
    println!("condvar wait_timeout timed out: {}", res.timed_out());

    let before = Instant::now();
    thread::park_timeout(Duration::from_millis(30));
    println!("park_timeout waited: {}", before.elapsed() >= Duration::from_millis(30));

    let sleepers: Vec<_> = (1..=3u64)
        .map(|i| {
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(10 * i));
                i
            })
        })
        .collect();
    let done: Vec<u64> = sleepers.into_iter().map(|h| h.join().unwrap()).collect();
    println!("sleepers finished: {:?}", done);
}
