//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A `&mut` inside a one-field struct argument is retagged and protected at function entry
// like a bare one (the struct's non-null niche adds nothing to check, so the value takes
// the reference's fast path): writing through its parent pointer during the call is UB.
// Twin: tests/ui/pass/ref_wrappers.rs.
struct Wrap<'a>(&'a mut i32);

fn write_through(w: Wrap<'_>, raw: *mut i32) {
    unsafe { *raw = 1 };
    //~[stack]^ ERROR: /not granting access to tag .* strongly protected/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    *w.0 = 2;
}

fn main() {
    let mut x = 0;
    let raw = &mut x as *mut i32;
    write_through(Wrap(unsafe { &mut *raw }), raw);
}
