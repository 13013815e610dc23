//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a `&mut` of a vector reborrowed after a method call on it, then a write to the
// vector through the raw pointer it came from, which ends both references (Stacked Borrows
// pops them; Tree Borrows disables them); the next method call's two-phase borrow of the
// reborrow, passed straight to `push`, is then UB (the report names the reborrow's tag, made
// after the first call's two-phase borrow).
fn main() {
    let mut v = vec![1u32];
    let p = &raw mut v;
    let q = unsafe { &mut *p };
    q.push(2);
    let r = &mut *q;
    unsafe { (*p).push(3) };
    r.push(4);
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /reborrow through .* is forbidden/
    println!("{v:?}");
}
