// A function-entry retag of `&S`, where `S` holds a `Cell` beside a plain field: the `Cell`'s
// bytes are shared read-write and not protected, so writing them through another pointer
// during the call is allowed (under both aliasing models), and the reference still reads
// the new value through the `Cell` afterwards.
// Twin: tests/ui/fail/aliasing_protected_shared_outside_cell.rs (the same write to the plain field).
use std::cell::Cell;

struct S {
    c: Cell<u32>,
    x: u32,
}

fn get_write_get(s: &S, p: *mut S) -> (u32, u32) {
    let before = s.c.get();
    unsafe { (*p).c = Cell::new(before + 10) };
    (before, s.c.get() + s.x)
}

fn main() {
    let mut s = S { c: Cell::new(1), x: 2 };
    let raw = &raw mut s;
    let (a, b) = get_write_get(unsafe { &*raw }, raw);
    println!("{a} {b}");
    let t = S { c: Cell::new(5), x: 7 };
    let r = &t;
    r.c.set(r.c.get() + r.x);
    println!("{}", t.c.get());
}
