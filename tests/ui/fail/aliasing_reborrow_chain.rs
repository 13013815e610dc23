//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a subslice made by `index_mut`, whose inlined layers reborrow `&mut *r` one
// after the other (the lowering leaves the links of such a chain no tag of their own: the
// last reborrow derives from the first one's parent), outlived by a write through the raw
// pointer the array's `&mut` came from. The write removes (Stacked Borrows) or disables
// (Tree Borrows) the subslice's tag, and the write through the subslice is reported with
// the tag the subslice got and where it got it. Twin: the same program without the write
// through the raw pointer is tests/ui/pass/unobserved_retags_chains.rs.
fn main() {
    let mut a = [0u32; 4];
    let p: *mut [u32; 4] = &raw mut a;
    let whole: &mut [u32; 4] = unsafe { &mut *p };
    let s: &mut [u32] = &mut whole[1..3];
    s[1] = 5;
    unsafe { (*p)[1] = 7 };
    s[0] = 1; //~[stack] ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^ ERROR: /write access through .* is forbidden/
    println!("{:?}", a);
}
