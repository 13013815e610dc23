// Deadlock: the main thread joins a thread that waits (on a channel) for the main thread, which
// only sends after the join.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();
    let t = thread::spawn(move || {
        rx.recv().unwrap() //~ ERROR: the evaluated program deadlocked
    });
    let v = t.join().unwrap(); //~ ERROR: the evaluated program deadlocked
    tx.send(v).unwrap();
}
