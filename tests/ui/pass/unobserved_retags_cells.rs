// Shared references to nothing but `UnsafeCell`s (`&Cell<T>`, `&AtomicU64`, a `Mutex`'s
// lock word), which under Tree Borrows get no node of their own and act as their parent's:
// made from a `&mut` and from one another, passed to functions (protected), kept across
// many retags of other memory (collections of dead tags), exposed and used through the
// address, beside frozen data, and read through a raw pointer after the `&mut` they come
// from is written through again. The output is native's under both models.
use std::cell::{Cell, RefCell};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

fn bump(c: &Cell<u32>, by: u32) {
    c.set(c.get() + by);
}

fn count(a: &AtomicU64) -> u64 {
    a.fetch_add(1, Ordering::Relaxed)
}

struct Mixed {
    frozen: u64,
    cell: Cell<u64>,
}

fn churn(v: &mut [u64; 8]) {
    for i in 0..3000 {
        let r = &mut v[i % 8];
        *r += 1;
    }
}

fn main() {
    // The twin of tests/ui/fail/tb_cell_ref_of_disabled_parent.rs, without the write
    // through the raw pointer.
    let mut x = 0u32;
    let root = &raw mut x;
    let m: &mut u32 = unsafe { &mut *root };
    *m = 1;
    let c: &Cell<u32> = unsafe { &*(m as *mut u32 as *const Cell<u32>) };
    let d: &Cell<u32> = &*c;
    bump(d, 2);
    bump(c, 3);
    let v = unsafe { *(d as *const Cell<u32> as *const u32) };
    *m += 10;
    println!("through the cells {v}, then {}", unsafe { root.read() });

    // Kept across collections of dead tags.
    let cells: Vec<Cell<u64>> = (0..4).map(Cell::new).collect();
    let refs: Vec<&Cell<u64>> = cells.iter().collect();
    let mut other = [0u64; 8];
    churn(&mut other);
    for (i, r) in refs.iter().enumerate() {
        r.set(r.get() * 10 + i as u64);
    }
    churn(&mut other);
    println!("{:?} {}", cells.iter().map(Cell::get).collect::<Vec<_>>(), other.iter().sum::<u64>());

    // Exposed, and used again through the address.
    let e = Cell::new(7u64);
    let er = &e;
    let addr = er as *const Cell<u64> as usize;
    let back = addr as *const Cell<u64>;
    unsafe { (*back).set(8) };
    er.set(er.get() + 1);
    println!("exposed {}", e.get());

    // Beside frozen data: the cell's reference alone is all `UnsafeCell`.
    let mixed = Mixed { frozen: 5, cell: Cell::new(6) };
    let mc = &mixed.cell;
    let whole = &mixed;
    mc.set(whole.frozen + mc.get());
    println!("mixed {} {}", mixed.frozen, mixed.cell.get());

    // Atomics, a mutex and a `RefCell`.
    let a = AtomicU64::new(0);
    for _ in 0..100 {
        count(&a);
    }
    let lock = Mutex::new(vec![1u8]);
    for i in 0..10 {
        lock.lock().unwrap().push(i);
    }
    let rc = RefCell::new(String::from("a"));
    for _ in 0..5 {
        rc.borrow_mut().push('b');
        let _len = rc.borrow().len();
    }
    println!("atomic {} mutex {} refcell {}", a.load(Ordering::SeqCst), lock.lock().unwrap().len(), rc.borrow());
}
