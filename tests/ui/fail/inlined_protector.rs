//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A small function that Vigil inlines still protects its reference arguments for the call: a
// write through a raw pointer to the place its `&mut` argument points to, inside the function,
// is UB under both aliasing models. Twin: tests/ui/pass/inlined_leaf_calls.rs (the same write
// after the call returns).
fn write_both(r: &mut i32, p: *mut i32) -> i32 {
    unsafe { *p = 2 };
    //~[stack]^ ERROR: which is strongly protected
    //~[tree]| ERROR: /write access .* forbidden/
    *r
}

fn main() {
    let mut x = 1;
    let p = &raw mut x;
    let r = unsafe { &mut *p };
    let _v = write_both(r, p);
}
