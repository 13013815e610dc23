//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A pointer made during a call and returned outlives the call: its tag keeps its node (Tree
// Borrows drops at a return only the nodes of tags nothing can hold), so the foreign write
// that disabled it is still seen when it is used.
// Twin: tests/ui/pass/dropped_tags.rs.

#[inline(never)]
fn reborrow(x: &mut u64) -> *mut u64 {
    let r = &mut *x;
    // (A call keeps this function from being inlined: its frame returns.)
    std::hint::black_box(());
    r as *mut u64
}

fn main() {
    let mut v = 1u64;
    let p = reborrow(&mut v);
    v = 2;
    unsafe { *p = v + 1 };
    //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
