//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// After a thread is spawned and joined, a small getter (inlined, its `&self` retag made as
// just a read) called through a `&mut`, then a write of a field through the raw pointer
// the `&mut` came from, then a write through the `&mut`: the raw write ended it.
// Twin: tests/ui/pass/unobserved_retags_after_join.rs.
use std::thread;

struct Pair {
    a: u64,
    b: u64,
}

impl Pair {
    fn sum(&self) -> u64 {
        self.a + self.b
    }
}

fn main() {
    thread::spawn(|| ()).join().unwrap();
    let mut p = Pair { a: 1, b: 2 };
    let raw = &raw mut p;
    let m = unsafe { &mut *raw };
    let v = m.sum();
    unsafe { (*raw).a = 3 };
    m.a = v + 1;
    //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
