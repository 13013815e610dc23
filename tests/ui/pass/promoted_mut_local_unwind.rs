// A local reached only through `&mut` references of inlined callees lives in registers
// (`vigil_ir::promote_locals`), also where a callee that protects its `&mut` panics: the
// unwinding leaves the inlined callee (its protector ends) for the caller's cleanup, which
// drops another local, and `catch_unwind` takes the panic; the program prints what it does
// natively, and the local is used again in the next round. Twin:
// tests/ui/fail/promoted_mut_local_uninit.rs.
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

fn run(limit: u64) -> (u64, u32, usize) {
    let label = String::from("acc");
    let mut a = Acc { n: 1, rounds: 0 };
    for i in 0..limit {
        a.add(i);
    }
    (a.n, a.rounds, label.len())
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    for limit in [5u64, 9, 6] {
        match std::panic::catch_unwind(|| run(limit)) {
            Ok((n, rounds, len)) => println!("{limit}: {n} after {rounds} rounds ({len})"),
            Err(_) => println!("{limit}: panicked"),
        }
    }
}
