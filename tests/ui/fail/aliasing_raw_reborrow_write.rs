//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a read-only raw reborrow of a shared reference, read through; then a write through
// the mutable raw pointer the reference came from ends both, and the raw reborrow is read again.
fn main() {
    let mut x = 5u64;
    let px = &raw mut x;
    let r = unsafe { &*px };
    let p = &raw const *r;
    let a = unsafe { *p };
    unsafe { *px = a + 1 };
    let b = unsafe { *p };
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    println!("{b}");
}
