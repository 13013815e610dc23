//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: two `&mut u32` to the same location, both made from one raw pointer, are passed to one call.
// Stacked Borrows reports it at the function-entry retag of `a` (creating `b` already popped the tag `a`
// is derived from); Tree Borrows at the first write through `a` (the entry retag of `b` is a foreign
// read for the protected `a`, which then may not be written while `g` runs).
fn g(a: &mut u32, b: &mut u32) {
    //~[stack]^ ERROR: /trying to retag from .* for Unique permission at .*, but that tag does not exist in the borrow stack for this location/
    *a += 1;
    //~[tree]^ ERROR: /write access through .* is forbidden/
    *b += 1;
}

fn main() {
    let mut v = 1u32;
    let p = &mut v as *mut u32;
    unsafe { g(&mut *p, &mut *p) };
}
