// A `&mut` of its own passed on to a method through a two-phase reborrow (`r.push(x)`): in
// `for` loops (`&mut iter` for `next`), with a read of other memory between the borrow and
// the call, of a local reborrowed from a raw pointer, with `r` used again after the call
// (its retag is then made in full), with a raw pointer made from `r` before, of a field
// (`r.items.push`), of a slice, and with the callee writing through the parent afterwards;
// the output is native's under both models.
struct Bag {
    items: Vec<u32>,
    total: u64,
}

impl Bag {
    fn put(&mut self, x: u32) {
        self.items.push(x);
        self.total += x as u64;
    }

    fn count(&mut self) -> usize {
        self.items.len()
    }
}

fn fill(v: &mut Vec<u32>, n: u32) {
    for i in 0..n {
        let r = &mut *v;
        r.push(i * 3);
    }
}

fn main() {
    // `for` over a range and over a vector's iterator.
    let mut sum = 0u64;
    for i in 0..50u64 {
        sum += i;
    }
    let mut v = Vec::new();
    fill(&mut v, 20);
    for x in v.iter() {
        sum += *x as u64;
    }
    // A read of another vector between the borrow and the call.
    let other = vec![5u32, 6, 7];
    let mut w: Vec<u32> = Vec::new();
    for k in 0..3 {
        let r = &mut w;
        r.push(other[k] + 1);
    }
    // Through a raw pointer: the local reborrowed from it, then passed on.
    let p = &raw mut w;
    let r = unsafe { &mut *p };
    r.push(100);
    unsafe { (*p).push(101) };
    // `r` used after the call: retagged in full.
    let r = &mut w;
    r.push(102);
    let n = r.len();
    // A raw pointer from `r` before the call, used after it.
    let r = &mut w;
    let q = r as *mut Vec<u32>;
    r.push(103);
    unsafe { (*q).push(104) };
    // A field, and a method of the struct itself.
    let mut bag = Bag { items: Vec::new(), total: 0 };
    for i in 0..10 {
        let b = &mut bag;
        b.put(i);
        let b = &mut bag;
        b.items.push(i + 100);
    }
    let b = &mut bag;
    let c = b.count();
    // A slice: `sort` through `&mut [u32]`.
    let mut arr = [9u32, 3, 7, 1];
    let s = &mut arr[..];
    s.sort();
    println!("{sum} {n} {w:?} {} {} {c} {arr:?}", bag.total, bag.items.len());
}
