// `-Zvigil-many-seeds` finds the schedules that fail: two threads race (atomically) to claim a
// slot, and the program asserts that the first one always wins, which holds for some seeds only.
// With `-Zvigil-many-seeds-keep-going` every seed runs and the failing ones are counted.
//@ seeds: 0..16
//@ flags: -Zvigil-many-seeds-keep-going
//@ observed: first won
//@ exit: 101
//@ stderr-contains: FAILING SEED:
//@ stderr-contains: /16 SEEDS FAILED
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::thread;

static WINNER: AtomicU32 = AtomicU32::new(0);

fn main() {
    let hs: Vec<_> = (1..=2)
        .map(|id| {
            thread::spawn(move || {
                for _ in 0..20 {
                    thread::yield_now();
                }
                let _ = WINNER.compare_exchange(0, id, SeqCst, SeqCst);
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(WINNER.load(SeqCst), 1, "the second thread won");
    println!("first won");
}
