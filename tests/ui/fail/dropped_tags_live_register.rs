//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A reference made before a call and used after it lives in a register of the caller across
// the call: its tag keeps its node when the callee returns, and the foreign write that
// disabled it is still seen.
// Twin: tests/ui/pass/dropped_tags.rs.

#[inline(never)]
fn read(x: &u64) -> u64 {
    let y = &*x;
    // (A call keeps this function from being inlined: its frame returns.)
    std::hint::black_box(());
    *y
}

fn main() {
    let mut v = 1u64;
    let raw = &raw mut v;
    let s = unsafe { &mut *raw };
    let t = read(&*s);
    unsafe { *raw = t + 4 };
    *s = 2;
    //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
