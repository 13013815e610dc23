// Panics on threads: the panic message names the thread (or `<unnamed>`), join returns the
// payload, a scoped thread's panic propagates out of `thread::scope`, and a panic while a
// Mutex is held poisons it.
use std::panic;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let r = thread::Builder::new().name("calculator".into()).spawn(|| -> u32 { panic!("division by zero in {}", "calculator") }).unwrap().join();
    println!("named: {:?}", r.map_err(|e| e.downcast_ref::<String>().cloned()));

    let r = thread::spawn(|| std::panic::panic_any(17i32)).join();
    println!("unnamed, custom payload: {:?}", r.err().and_then(|e| e.downcast_ref::<i32>().copied()));

    let m = Arc::new(Mutex::new(0));
    let m2 = Arc::clone(&m);
    let _ = thread::spawn(move || {
        let _g = m2.lock().unwrap();
        panic!("holding the lock");
    })
    .join();
    println!("poisoned: {}", m.is_poisoned());

    let r = panic::catch_unwind(|| {
        thread::scope(|s| {
            s.spawn(|| panic!("inside a scope"));
        })
    });
    println!("scope propagated the panic: {}", r.is_err());
}
