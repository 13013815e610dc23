// Deadlock: a thread locks a `Mutex` it already holds (std's mutex is not reentrant).
use std::sync::Mutex;

fn main() {
    let m = Mutex::new(0);
    let _a = m.lock().unwrap();
    let _b = m.lock(); //~ ERROR: the evaluated program deadlocked
}
