// Two-phase borrows and shared reborrows passed straight to a method (`v.push(x)`,
// `acc.total()`): with the arguments evaluated between the borrow and the call (reads of the
// same value, of a `Cell` beside it, other calls' results), with a raw pointer made from the
// borrowed reference before and used after (Stacked Borrows keeps it: the two-phase item
// lands below it), of slices, through `+=` of a user type, an iterator's `next` and a
// `FnMut` closure; the output is native's under both models.
use std::cell::Cell;
use std::ops::AddAssign;

struct Acc {
    items: Vec<u64>,
    seen: Cell<u32>,
}

impl Acc {
    fn total(&self) -> u64 {
        let items = self.items.clone();
        items.iter().sum()
    }

    fn add(&mut self, x: u64) -> usize {
        self.items.push(x);
        self.items.len()
    }
}

#[derive(Clone, Copy, Debug)]
struct Pair(u64, u64);

impl AddAssign for Pair {
    fn add_assign(&mut self, o: Pair) {
        self.0 += o.0;
        self.1 += o.1;
    }
}

fn apply(f: &mut impl FnMut(u64) -> u64, x: u64) -> u64 {
    f(x) + f(x + 1)
}

fn main() {
    let mut v: Vec<usize> = Vec::new();
    for _ in 0..5 {
        v.push(v.len());
    }
    let mut s = String::new();
    for i in 0..4 {
        s.push_str(&i.to_string());
        s.push(char::from(b'a' + i as u8));
    }
    let mut acc = Acc { items: Vec::new(), seen: Cell::new(0) };
    for i in 0..4u64 {
        acc.seen.set(acc.seen.get() + 1);
        let n = acc.add(i * u64::from(acc.seen.get()));
        acc.items.push(n as u64);
    }

    // Shared reborrows passed straight to a method.
    let mut t = 0;
    for _ in 0..3 {
        t += acc.total();
    }

    // A raw pointer from the reference, made before its two-phase borrow and used after.
    let mut w: Vec<u8> = vec![1];
    let p = &mut w;
    let r = p as *mut Vec<u8>;
    p.push(2);
    unsafe { (*r).push(3) };
    p.push(4);

    // Two-phase borrows of slices.
    let mut arr = [5u32, 3, 9, 1, 7];
    arr[..4].sort();
    arr[1..].reverse();
    arr.as_mut_slice().swap(0, 4);

    let mut pair = Pair(1, 2);
    for k in 0..3 {
        pair += Pair(k, k * 2);
    }
    let mut it = v.iter();
    let mut total = 0;
    while let Some(x) = it.next() {
        total += x;
    }
    let mut calls = 0u64;
    let mut f = |x: u64| {
        calls += 1;
        x * 3
    };
    let y = apply(&mut f, 4);
    println!("{v:?} {s} {:?} {} {t} {w:?} {arr:?} {pair:?} {total} {y} {calls}", acc.items, acc.seen.get());
}
