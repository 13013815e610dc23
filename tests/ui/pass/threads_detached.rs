// The main thread ends the process while other threads still run, as natively: a detached
// thread blocked forever and a dropped JoinHandle. (Vigil reports threads still running at exit
// as a leak unless -Zvigil-ignore-leaks, like the reference interpreter.)
//@ vigil-flags: -Zvigil-ignore-leaks
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();
    let (done_tx, done_rx) = mpsc::channel();
    let h = thread::spawn(move || {
        done_tx.send("worker started").unwrap();
        // Waits for a message that never comes.
        let _ = rx.recv();
        println!("never printed");
    });
    println!("{}", done_rx.recv().unwrap());
    drop(h);
    std::mem::forget(tx);
    println!("main returns while the worker still waits");
}
