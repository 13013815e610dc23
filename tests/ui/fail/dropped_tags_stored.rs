//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A pointer made during a call and stored in memory the caller can reach outlives the call:
// its tag keeps its node, and the foreign write that disabled it is still seen.
// Twin: tests/ui/pass/dropped_tags.rs.

struct Holder {
    p: *mut u64,
}

#[inline(never)]
fn stash(h: &mut Holder, x: &mut u64) {
    h.p = &mut *x;
    // (A call keeps this function from being inlined: its frame returns.)
    std::hint::black_box(());
}

fn main() {
    let mut v = 1u64;
    let mut h = Holder { p: std::ptr::null_mut() };
    stash(&mut h, &mut v);
    v = 2;
    unsafe { *h.p = v + 1 };
    //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
