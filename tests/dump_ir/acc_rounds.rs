// `acc_rounds`' loop calls the inlined `Acc::add`, which protects its `&mut self` and reuses,
// round after round, the registers where the previous round's references were: the saved
// call id of a protecting inlined call overwrites one of them. Both the range iterator and
// `acc` live in registers.
struct Acc {
    n: u64,
    rounds: u32,
}

impl Acc {
    fn add(&mut self, v: u64) {
        if v == 7 {
            panic!("seven");
        }
        self.n = self.n.wrapping_mul(3).wrapping_add(v);
        self.rounds += 1;
    }
}

fn acc_rounds(limit: u64) -> (u64, u32) {
    let mut a = Acc { n: 1, rounds: 0 };
    for i in 0..limit {
        a.add(i);
    }
    (a.n, a.rounds)
}

fn main() {
    assert_eq!(acc_rounds(5), (301, 5));
}
