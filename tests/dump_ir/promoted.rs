// `promoted`'s `wide` local has its address taken, but only the inlined `sum` reads through
// the reference: it lives in registers. `kept`'s reference goes to a call (`black_box`): it
// stays in memory.
#[derive(Clone, Copy)]
struct Wide {
    a: u64,
    b: u64,
    c: u64,
}

fn sum(w: &Wide) -> u64 {
    w.a + w.b + w.c
}

fn promoted(n: u64) -> u64 {
    let mut total = 0;
    for i in 0..n {
        let wide = Wide { a: i, b: 1, c: 2 };
        total += sum(&wide);
        let kept = i;
        total += *std::hint::black_box(&kept);
    }
    total
}

fn main() {
    assert_eq!(promoted(10), 45 + 30 + 45);
}
