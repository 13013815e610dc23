// Locals reached through `&mut` references that inlined callees use newest first move into
// registers (`vigil_ir::promote_locals`): a counter advanced through `&mut self`, the range
// iterator of a `for` loop, a struct whose field is reborrowed and passed on, and a local read
// again once its `&mut` was last used; beside them, locals that stay in memory (an `Option`
// changed through `as_mut`, a slice iterator); the program prints what it does natively.
// Twin: tests/ui/fail/promoted_mut_local_uninit.rs.
struct Counter {
    next: u64,
    end: u64,
}

impl Counter {
    fn step(&mut self) -> Option<u64> {
        if self.next < self.end {
            let v = self.next;
            self.next = v + 1;
            Some(v)
        } else {
            None
        }
    }
}

struct Pair {
    left: u64,
    right: u64,
}

fn bump(x: &mut u64, by: u64) {
    *x = x.wrapping_mul(31).wrapping_add(by);
}

fn bump_right(p: &mut Pair, by: u64) {
    bump(&mut p.right, by);
}

fn main() {
    let mut total = 0u64;
    let mut c = Counter { next: 3, end: 40 };
    while let Some(v) = c.step() {
        total = total.wrapping_add(v * v);
    }
    for i in 0..50u64 {
        let mut p = Pair { left: i, right: i + 1 };
        bump_right(&mut p, i);
        bump(&mut p.left, 7);
        total = total.wrapping_add(p.left ^ p.right);
        let mut o = if i % 3 == 0 { None } else { Some(i) };
        if let Some(x) = o.as_mut() {
            *x += 100;
        }
        total = total.wrapping_add(o.unwrap_or(1));
    }
    let v: Vec<u32> = (0..64).collect();
    for (k, x) in v.iter().enumerate() {
        total = total.wrapping_add(*x as u64 * k as u64);
    }
    let mut w = 5u64;
    bump(&mut w, 2);
    let read_again = w + 1;
    let next = c.next;
    println!("{total} {next} {read_again}");
}
