//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A function-entry retag of `&S`, where `S` holds a `Cell` beside a plain field, protects the
// plain field's bytes for the whole call (the `Cell`'s bytes are shared read-write and not
// protected): a write to the plain field through another pointer during the call is UB,
// though the reference is never used again.
// Twin: tests/ui/pass/protected_shared_cell_write.rs (the same write to the `Cell`'s bytes).
use std::cell::Cell;

struct S {
    c: Cell<u32>,
    x: u32,
}

fn get_then_write(s: &S, p: *mut S) -> u32 {
    let v = s.c.get();
    unsafe { (*p).x = v + 1 };
    //~[stack]^ ERROR: /not granting access to tag .* strongly protected/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    v
}

fn main() {
    let mut s = S { c: Cell::new(1), x: 2 };
    let raw = &raw mut s;
    let v = get_then_write(unsafe { &*raw }, raw);
    println!("{v}");
}
