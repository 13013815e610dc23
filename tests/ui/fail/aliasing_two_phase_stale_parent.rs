//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a `&mut` of a vector, then a write to the vector through the raw pointer it came
// from, which ends the reference (Stacked Borrows pops it; Tree Borrows disables it); the
// method call's two-phase borrow of the reference, passed straight to `push`, is then UB.
fn main() {
    let mut v = vec![1u32];
    let p = &raw mut v;
    let q = unsafe { &mut *p };
    q.push(2);
    unsafe { (*p).push(3) };
    q.push(4);
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /reborrow through .* is forbidden/
    println!("{v:?}");
}
