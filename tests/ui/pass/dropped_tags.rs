// Pointers made during a call that outlive it in every way a program can keep them: in the
// returned value (alone, in a struct, in an `Option`), through an out-pointer, in memory
// the caller reaches, in a caller's register across the call, in a thread-local with a
// destructor, as an exposed address, in a closure, across a caught panic and across
// threads. Under Tree Borrows the machine drops at each return the nodes of the tags that
// nothing can hold any more: every one of these must keep its node and stay usable.
// Twins: tests/ui/fail/dropped_tags_*.rs.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[inline(never)]
fn first(v: &mut Vec<u64>) -> &mut u64 {
    let r = &mut v[0];
    std::hint::black_box(());
    r
}

struct Pair<'a> {
    a: &'a u64,
    b: &'a mut u64,
}

#[inline(never)]
fn split(v: &mut [u64]) -> Pair<'_> {
    let (x, y) = v.split_at_mut(1);
    Pair { a: &x[0], b: &mut y[0] }
}

#[inline(never)]
fn find(v: &[u64], want: u64) -> Option<&u64> {
    v.iter().find(|&&x| x == want)
}

#[inline(never)]
fn fill<'a>(out: &mut Option<&'a u64>, x: &'a u64) {
    *out = Some(&*x);
    std::hint::black_box(());
}

struct Holder<'a> {
    seen: Vec<&'a u64>,
}

#[inline(never)]
fn remember<'a>(h: &mut Holder<'a>, x: &'a u64) {
    h.seen.push(&*x);
    std::hint::black_box(());
}

// (The call keeps it from being inlined: its frame returns.)
#[inline(never)]
fn read(x: &u64) -> u64 {
    let y = &*x;
    std::hint::black_box(());
    *y
}

// (Inlined.)
fn peek(x: &u64) -> u64 {
    *x
}

#[inline(never)]
fn address(x: &u64) -> usize {
    let r = &*x;
    std::hint::black_box(());
    (r as *const u64).expose_provenance()
}

struct Node {
    value: u64,
    kids: Vec<Box<Node>>,
}

#[inline(never)]
fn deepest(n: &mut Node) -> &mut u64 {
    match n.kids.last_mut() {
        Some(k) => deepest(k),
        None => &mut n.value,
    }
}

thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

struct Noisy(u64);

impl Drop for Noisy {
    fn drop(&mut self) {
        // (Runs at thread exit: nothing may be printed from here in a pass test's order.)
        self.0 += 1;
    }
}

thread_local! {
    static NOISY: RefCell<Noisy> = const { RefCell::new(Noisy(0)) };
}

#[inline(never)]
fn make_counter(start: &u64) -> impl FnMut() -> u64 + '_ {
    let mut n = 0;
    move || {
        n += 1;
        *start + n
    }
}

fn main() {
    let mut v = vec![1u64, 2, 3, 4];
    let f = first(&mut v);
    *f += 10;
    println!("first {}", v[0]);

    let p = split(&mut v);
    *p.b += *p.a;
    println!("split {:?}", v);

    let found = find(&v, 3).copied();
    let found_ref = find(&v, 4);
    println!("find {:?} {:?}", found, found_ref);

    let x = 7u64;
    let mut out = None;
    fill(&mut out, &x);
    println!("out {:?}", out.map(|r| *r + read(&x)));

    let values = [5u64, 6, 7];
    let mut h = Holder { seen: Vec::new() };
    for v in &values {
        remember(&mut h, v);
        let _ = read(v);
    }
    println!("held {:?}", h.seen.iter().map(|r| **r).sum::<u64>());

    let mut w = 1u64;
    let raw = &raw mut w;
    let s = unsafe { &mut *raw };
    let t = read(&*s);
    *s += t;
    println!("register {}", w);

    let a = address(&x);
    let back = std::ptr::with_exposed_provenance::<u64>(a);
    println!("exposed {}", unsafe { *back });

    let mut root = Node { value: 1, kids: vec![Box::new(Node { value: 2, kids: vec![Box::new(Node { value: 3, kids: vec![] })] })] };
    *deepest(&mut root) *= 100;
    println!("deepest {}", root.kids[0].kids[0].value);

    let shared = Rc::new(RefCell::new(HashMap::new()));
    for i in 0..20u64 {
        let key = format!("k{}", i % 5);
        *shared.borrow_mut().entry(key).or_insert(0) += i;
    }
    let mut entries: Vec<_> = shared.borrow().iter().map(|(k, v)| (k.clone(), *v)).collect();
    entries.sort();
    println!("map {:?}", entries);

    LOG.with(|l| l.borrow_mut().push(format!("x={}", read(&x))));
    NOISY.with(|n| n.borrow_mut().0 += read(&x));
    println!("tls {:?} {}", LOG.with(|l| l.borrow().clone()), NOISY.with(|n| n.borrow().0));

    let base = 40u64;
    let mut counter = make_counter(&base);
    let c: Vec<u64> = (0..3).map(|_| counter()).collect();
    println!("closure {:?}", c);

    let caught = std::panic::catch_unwind(|| {
        let local = [1u64, 2];
        let r = &local[1];
        if read(r) == 2 {
            std::panic::panic_any(read(r) * 21);
        }
        0
    });
    println!("caught {:?}", caught.map_err(|e| *e.downcast::<u64>().unwrap()));

    let data = vec![3u64, 1, 2];
    let total = std::thread::scope(|sc| {
        let h1 = sc.spawn(|| data.iter().map(read).sum::<u64>() + data.iter().map(peek).sum::<u64>());
        let h2 = sc.spawn(|| *find(&data, 2).unwrap());
        h1.join().unwrap() * 10 + h2.join().unwrap()
    });
    println!("threads {}", total);

    let mut sorted = vec![9u64, 4, 7, 1, 8, 2];
    sorted.sort_by(|a, b| read(a).cmp(&read(b)));
    println!("sorted {:?}", sorted);
}
