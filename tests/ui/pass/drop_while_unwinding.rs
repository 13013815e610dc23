// Values that are dropped only while unwinding (moved on otherwise), whole or a field left
// after another was moved out, are dropped in place when a panic passes: Vigil keeps such a
// value in registers and moves it into memory of its own for the drop. Their destructors
// run in order, see their fields, and free what they own.
// Twin: tests/ui/fail/drop_while_unwinding_dangling.rs.
use std::panic;

struct Noisy {
    name: String,
    parts: Vec<u32>,
}

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {} with {} parts summing to {}", self.name, self.parts.len(), self.parts.iter().sum::<u32>());
    }
}

fn keep(n: Noisy, into: &mut Vec<Noisy>) {
    into.push(n);
}

fn consume(n: Noisy, fail: bool, into: &mut Vec<Noisy>) -> usize {
    let m = Noisy { name: format!("{}-twin", n.name), parts: vec![7; 3] };
    if fail {
        panic!("consume failed");
    }
    let len = n.name.len() + m.name.len();
    keep(n, into);
    keep(m, into);
    len
}

struct Pair {
    left: Noisy,
    right: Noisy,
}

// Moves one field out, then panics: only the other field is dropped.
fn split(p: Pair, fail: bool, into: &mut Vec<Noisy>) {
    into.push(p.left);
    if fail {
        panic!("split failed");
    }
    into.push(p.right);
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let mut kept = Vec::new();
    println!("len {}", consume(Noisy { name: "a".into(), parts: vec![1, 2] }, false, &mut kept));
    let r = panic::catch_unwind(panic::AssertUnwindSafe(|| {
        consume(Noisy { name: "b".into(), parts: vec![3, 4, 5] }, true, &mut kept)
    }));
    println!("caught {}", r.is_err());
    let pair = |n: &str| Pair { left: Noisy { name: format!("{n}-left"), parts: vec![1] }, right: Noisy { name: format!("{n}-right"), parts: vec![2, 2] } };
    split(pair("c"), false, &mut kept);
    let r = panic::catch_unwind(panic::AssertUnwindSafe(|| split(pair("d"), true, &mut kept)));
    println!("caught {}", r.is_err());
    println!("kept {}", kept.len());
}
