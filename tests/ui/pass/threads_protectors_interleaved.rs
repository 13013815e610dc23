// Two threads inside calls that protect their reference arguments at once, taking turns, so
// that each call's protectors start and end while the other thread's are in force: a call
// returning first ends its own protectors, not the other thread's (under Tree Borrows the
// end of a protector accesses memory, and the other thread's protected tags were made
// after this call's). Nested protecting calls in each thread, and a callee that panics
// with its protectors in force, caught. The output is native's under both models.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// Waits until it is this thread's turn, or the other thread is done.
fn wait_turn(turn: &AtomicUsize, done: &AtomicUsize, me: usize) {
    while turn.load(Ordering::Acquire) % 2 != me && done.load(Ordering::Acquire) == 0 {
        thread::yield_now();
    }
}

fn add_twice(x: &mut u64, y: &u64) {
    *x += *y;
    *x += *y;
}

fn work(x: &mut u64, y: &u64, turn: &AtomicUsize, done: &AtomicUsize, me: usize, rounds: u64) -> u64 {
    for i in 0..rounds {
        wait_turn(turn, done, me);
        // A protecting call inside the protecting call, while the other thread is inside
        // its own.
        add_twice(x, y);
        *x += i;
        turn.fetch_add(1, Ordering::Release);
    }
    *x
}

fn may_panic(v: &mut Vec<u64>, limit: usize) {
    v.push(v.len() as u64);
    if v.len() > limit {
        panic!("too long");
    }
}

fn main() {
    let turn = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..2)
        .map(|me| {
            let (turn, done) = (Arc::clone(&turn), Arc::clone(&done));
            thread::spawn(move || {
                let mut x = me as u64;
                let y = 10 + me as u64;
                // Different round counts: one thread's call returns while the other's
                // protectors, made later, are still in force.
                let total = work(&mut x, &y, &turn, &done, me, 20 + 5 * me as u64);
                done.fetch_add(1, Ordering::Release);
                (total, x)
            })
        })
        .collect();
    // The main thread meanwhile: protecting calls of its own, one of them unwinding.
    let mut v = Vec::new();
    for _ in 0..3 {
        may_panic(&mut v, 5);
    }
    let caught = std::panic::catch_unwind(move || {
        let mut v = v;
        for _ in 0..10 {
            may_panic(&mut v, 4);
        }
        v.len()
    });
    println!("caught a panic: {}", caught.is_err());
    // The second thread goes on alone once the first is done.
    let first = handles.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>();
    println!("{first:?}");
}
