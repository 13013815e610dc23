// A spin loop's hint (`std::hint::spin_loop`) yields to the other threads, as in the reference
// interpreter: without preemption, the threads below wait for each other only through it (a
// spin loop that never yields would wait forever).
//@ vigil-flags: -Zmiri-preemption-rate=0
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);
static TURN: AtomicU32 = AtomicU32::new(0);

fn wait_for_turn(me: u32) {
    while TURN.load(Ordering::Acquire) % 2 != me {
        std::hint::spin_loop();
    }
}

fn main() {
    // One thread waits for a flag the other sets.
    let setter = thread::spawn(|| READY.store(true, Ordering::Release));
    while !READY.load(Ordering::Acquire) {
        std::hint::spin_loop();
    }
    setter.join().unwrap();
    println!("the flag is set");

    // Two threads take turns, each waiting in a spin loop for the other's move.
    let other = thread::spawn(|| {
        let mut log = Vec::new();
        for _ in 0..5 {
            wait_for_turn(1);
            log.push(TURN.fetch_add(1, Ordering::AcqRel));
        }
        log
    });
    let mut mine = Vec::new();
    for _ in 0..5 {
        wait_for_turn(0);
        mine.push(TURN.fetch_add(1, Ordering::AcqRel));
    }
    let theirs = other.join().unwrap();
    println!("moves: {mine:?} and {theirs:?}");
}
