// Twin of tests/ui/fail/aliasing_interior_mut_outside_cell.rs: mutation through shared references is
// fine inside `UnsafeCell` (directly, via `Cell`, via `RefCell`), also through raw pointers derived from
// `&UnsafeCell` / `&Cell`, and while other shared references to the same cell are live.
use std::cell::{Cell, RefCell, UnsafeCell};

struct S {
    c: Cell<u32>,
    x: u32,
}

// Cells and plain fields alternating: a shared reference to it covers ten segments (the
// retag's frozen and `UnsafeCell` parts, more than fit its small buffer).
#[repr(C)]
struct Striped {
    c0: Cell<u8>,
    x0: u8,
    c1: Cell<u16>,
    x1: u16,
    c2: Cell<u32>,
    x2: u32,
    c3: Cell<u64>,
    x3: u64,
    c4: Cell<u8>,
    x4: u8,
}

fn stripe_sum(s: &Striped) -> u64 {
    s.c0.set(s.c0.get() + s.x0);
    s.c4.set(s.c4.get() + s.x4);
    s.c3.set(s.c3.get() + s.x3);
    s.c0.get() as u64 + s.c1.get() as u64 + s.x1 as u64 + s.c2.get() as u64 + s.x2 as u64 + s.c3.get() + s.c4.get() as u64
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

    let st = Striped {
        c0: Cell::new(1),
        x0: 2,
        c1: Cell::new(3),
        x1: 4,
        c2: Cell::new(5),
        x2: 6,
        c3: Cell::new(7),
        x3: 8,
        c4: Cell::new(9),
        x4: 10,
    };
    let (r1, r2) = (&st, &st);
    let first = stripe_sum(r1);
    println!("striped cells: {first} {} {}", stripe_sum(r2), st.c3.get());
}
