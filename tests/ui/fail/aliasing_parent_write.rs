//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a `&mut` (`child`) is reborrowed from `parent` through a raw pointer; then `parent` is written,
// which invalidates `child` (Stacked Borrows pops it; Tree Borrows makes it Disabled), and `child` is
// used again.
fn main() {
    let mut v = 1u32;
    let parent = &mut v;
    let child = unsafe { &mut *(parent as *mut u32) };
    *parent = 2;
    *child = 3;
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
