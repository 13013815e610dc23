//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a shared subslice made by `Vec`'s `index`, whose inlined layers reborrow `&*r`
// one after the other (under Stacked Borrows the lowering leaves the links of such a chain
// no tag of their own: the last reborrow derives from the first one's parent), outlived by
// a write through a raw pointer to the vector's buffer made before it. The write removes
// (Stacked Borrows) or disables (Tree Borrows) the subslice's tag, and the read through the
// subslice is reported with the tag the subslice got and where it got it. Twin: the same
// program without the write through the raw pointer is the last part of
// tests/ui/pass/unobserved_retags_chains.rs.
fn main() {
    let mut v: Vec<u64> = (0..8).collect();
    let p: *mut u64 = v.as_mut_ptr();
    let s: &[u64] = &v[2..5];
    let first = s[0];
    unsafe { *p.add(3) = 7 };
    let second = s[1]; //~[stack] ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^ ERROR: /read access through .* is forbidden/
    println!("{first} {second}");
}
