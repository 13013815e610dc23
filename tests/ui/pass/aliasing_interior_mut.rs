// Twin of tests/ui/fail/aliasing_interior_mut_outside_cell.rs: mutation through shared references is
// fine inside `UnsafeCell` (directly, via `Cell`, via `RefCell`), also through raw pointers derived from
// `&UnsafeCell` / `&Cell`, and while other shared references to the same cell are live.
use std::cell::{Cell, RefCell, UnsafeCell};

struct S {
    c: Cell<u32>,
    x: u32,
}

fn bump(cell: &UnsafeCell<u32>) {
    unsafe { *cell.get() += 1 };
}

fn main() {
    let u = UnsafeCell::new(1u32);
    let r1 = &u;
    let r2 = &u;
    bump(r1);
    bump(r2);
    let p = r1.get();
    unsafe { *p *= 10 };
    println!("UnsafeCell: {}", unsafe { *r2.get() });

    let c = Cell::new(5u32);
    let (a, b) = (&c, &c);
    a.set(b.get() + 1);
    let cp = c.as_ptr();
    unsafe { *cp += 1 };
    println!("Cell: {}", b.get());

    let rc = RefCell::new(vec![1u32]);
    let shared = &rc;
    shared.borrow_mut().push(2);
    {
        let mut g = rc.borrow_mut();
        g.push(3);
    }
    println!("RefCell: {:?} (len read through another &: {})", rc.borrow(), shared.borrow().len());

    let s = S { c: Cell::new(1), x: 2 };
    let rs = &s;
    rs.c.set(rs.x + 40);
    println!("Cell field next to a plain field: {} {}", s.c.get(), s.x);
}
