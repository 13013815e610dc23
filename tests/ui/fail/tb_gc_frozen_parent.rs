//@compile-flags: -Zmiri-tree-borrows
// A written `&mut` whose tag no pointer holds any more still guards its reborrow: a read
// through the owner freezes it, so the reborrow's later write is UB, also after collections
// of dead tags ran in between (a `Unique` parent above a `Reserved` child is not redundant).
// Twin: tests/ui/pass/tb_gc_dead_mut_chains.rs.

/// Returns a reborrow of a written `&mut` that dies here. (Its call of `churn` keeps it out
/// of line, so that `parent` dies with its frame.)
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

fn main() {
    let mut x = 0u64;
    let p = &raw mut x;
    let mut y = [0u64; 4];
    let child = reborrow_of_written(p, &mut y);
    // A retag in `x`'s allocation, so that the next collections look at its tree.
    std::hint::black_box(&*child);
    churn(&mut y);
    // A foreign read for both the dead parent and `child`: the parent (written) freezes.
    let seen = unsafe { p.read() };
    churn(&mut y);
    *child = seen + 1; //~ ERROR: /write access through .* is forbidden/
    println!("{}", y[0]);
}
