// Retags nothing can observe, made as just their access once every other thread is joined
// (no other thread can run then, with the race detector on or off): getters and
// comparisons before any thread, while one runs, and after it is joined.
// Twin: tests/ui/fail/aliasing_after_join.rs.
use std::thread;

#[derive(Clone, Copy, PartialEq, PartialOrd)]
struct Pair {
    a: u64,
    b: u64,
}

impl Pair {
    fn sum(&self) -> u64 {
        self.a.wrapping_add(self.b)
    }
}

fn work(seed: u64) -> u64 {
    let mut p = Pair { a: seed, b: 2 };
    let mut t = 0u64;
    for i in 0..200u64 {
        t = t.wrapping_add(p.sum());
        p.b = p.b.wrapping_add(i);
        if p < (Pair { a: seed, b: 300 }) {
            t += 1;
        }
    }
    t
}

fn main() {
    let before = work(1);
    let h = thread::spawn(|| work(2));
    let during = work(3);
    let joined = h.join().unwrap();
    let after = work(4);
    let mut v: Vec<u64> = (0..300u64).map(|i| i.wrapping_mul(0x9e37_79b9) % 1000).collect();
    v.sort_unstable();
    println!("{before} {during} {joined} {after} {:?}", &v[..5]);
}
