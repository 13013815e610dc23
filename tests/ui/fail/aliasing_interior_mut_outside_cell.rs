//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing, interior mutability is per byte: `&S` may be used to mutate `S::c` (a `Cell`), but the plain
// field `S::x` next to it stays read-only (Stacked Borrows: SharedReadOnly; Tree Borrows: Frozen), so a
// write to it through a pointer derived from `&S` is UB under both models.
use std::cell::Cell;

struct S {
    c: Cell<u32>,
    x: u32,
}

fn main() {
    let s = S { c: Cell::new(1), x: 2 };
    let r = &s;
    r.c.set(3);
    let p = r as *const S as *mut S;
    unsafe { (*p).x = 4 };
    //~[stack]^ ERROR: but that tag only grants SharedReadOnly permission for this location
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
