// Chains of `&mut` reborrows whose inner tags die: collections of dead tags drop the dead
// links (under Tree Borrows, a dead `Reserved` or `Unique` node above children at least as
// restricted), and what survives behaves as the whole chain did. Twin of
// tests/ui/fail/tb_gc_frozen_parent.rs (there the reborrow writes after the parent froze).

/// Returns a reborrow of a written `&mut` that dies here (out of line: it calls `churn`).
fn reborrow_of_written<'a>(p: *mut u64, y: &mut [u64; 4]) -> &'a mut u64 {
    let parent = unsafe { &mut *p };
    *parent = 1;
    churn(y);
    &mut *parent
}

fn churn(y: &mut [u64; 4]) {
    // Enough retags for several collections of dead tags.
    for i in 0..2000 {
        let r = &mut y[i % 4];
        *r += 1;
    }
}

/// `v = &mut v[1..]`: a chain of reborrows, each written through, most of them dead.
fn walk(buf: &mut [u32; 64], y: &mut [u64; 4]) -> u32 {
    let mut v: &mut [u32] = buf;
    let mut i = 0;
    while v.len() > 1 {
        v[0] = i * 3 + 1;
        v = &mut v[1..];
        i += 1;
        if i % 16 == 0 {
            churn(y);
        }
    }
    v[0] = 7;
    buf.iter().sum()
}

fn main() {
    let mut x = 0u64;
    let p = &raw mut x;
    let mut y = [0u64; 4];
    let child = reborrow_of_written(p, &mut y);
    std::hint::black_box(&*child);
    churn(&mut y);
    // Writing through the survivor after the collections is fine (the twin writes after a
    // read through the owner froze the dead parent), and so is reading through the owner
    // once the survivor is no longer used.
    *child += 10;
    let through_child = *child;
    churn(&mut y);
    let seen = unsafe { p.read() };
    println!("child {} seen {} churned {:?}", through_child, seen, y);

    let mut buf = [0u32; 64];
    let sum = walk(&mut buf, &mut y);
    println!("sum {} first {} last {}", sum, buf[0], buf[63]);
}
