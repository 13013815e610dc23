// The main thread ends while another thread still runs: with leak checks on, that is reported
// at the spawn of the thread still running (it is stuck on a channel nobody closes).
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<()>();
    thread::spawn(move || { //~ ERROR: the main thread terminated without waiting for all remaining threads
        let _ = rx.recv();
    });
    std::mem::forget(tx);
}
