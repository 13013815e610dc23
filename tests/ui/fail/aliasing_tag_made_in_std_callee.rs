//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a write through a pointer whose tag `as_ptr` made (retagging its `&self` at
// entry), to bytes only shared. `as_ptr`, of the standard library, is small enough to be
// inlined into `main`; the tag's history still names the call in `main`, the innermost
// point in the user's code where it was made, as it would with `as_ptr`'s own frame.
fn main() {
    let x = [1u8, 2];
    let s: &[u8] = &x;
    let p = s.as_ptr() as *mut u8;
    unsafe { *p = 3 }; //~ ERROR: Undefined Behavior
}
