// References into one local read and written beside accesses to other locals' memory and
// to memory the function's parameters point to: no access to another allocation can touch
// the reference's bytes, so its retag stays made as just its access. Fine under both
// aliasing models.
#[inline(never)]
fn larger(a: usize, b: usize) -> usize {
    // `Ord::max` takes `&a` and `&b`: two locals in memory, each read beside the other.
    std::cmp::max(a, b)
}

#[inline(never)]
fn swap_in(slot: &mut u64, v: u64) -> u64 {
    let mut tmp = v;
    let t = &mut tmp;
    let s = &*slot; // a parameter's memory, read beside `t`
    *t += *s;
    let out = *t;
    *slot = out;
    out
}

fn main() {
    let mut total = 0usize;
    for i in 0..20usize {
        total += larger(i, 10);
    }
    let mut x = 5u64;
    let mut y = 0u64;
    for i in 0..5 {
        y = y.wrapping_add(swap_in(&mut x, i));
    }
    // Two locals whose addresses are taken: a `&mut` into one, writes through the other.
    let mut a = 1u64;
    let mut b = 2u64;
    let pb = &raw mut b;
    let ra = &mut a;
    unsafe { *pb += 10 };
    *ra += unsafe { *pb };
    println!("{total} {x} {y} {a} {b}");
}
