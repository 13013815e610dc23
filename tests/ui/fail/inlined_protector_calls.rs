//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A small function that Vigil inlines even though it calls another one still protects its
// `&mut` argument for the whole call, the called function's run included: a write through a
// raw pointer to the same place, made by the called function, is UB under both aliasing
// models. Twin: tests/ui/pass/inlined_protector_calls.rs.
// Called, not inlined: its local lives in memory (its address is taken).
fn poke(p: *mut i32) {
    let two = 2;
    let at = &raw const two;
    unsafe { *p = *at };
    //~[stack]^ ERROR: which is strongly protected
    //~[tree]| ERROR: /write access .* forbidden/
}

fn hold(r: &mut i32, p: *mut i32) {
    poke(p);
    let _ = r;
}

fn main() {
    let mut x = 1;
    let p = &raw mut x;
    let r = unsafe { &mut *p };
    hold(r, p);
}
