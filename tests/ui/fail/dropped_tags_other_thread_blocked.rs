//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// While another thread lives (blocked on a channel), returns in this thread still drop the
// Tree Borrows nodes of tags no pointer holds; a reference returned from a call keeps its
// node all the same, and the write through its parent that disabled it is seen when it is
// used. Twin: tests/ui/pass/dropped_tags.rs.
use std::sync::mpsc;
use std::thread;

#[inline(never)]
fn reborrow(x: &mut u64) -> &mut u64 {
    &mut *x
}

#[inline(never)]
fn helper(n: u64) -> u64 {
    let a = [n, n + 1];
    let r = &a;
    std::hint::black_box(());
    r[0] + r[1]
}

fn main() {
    let (tx, rx) = mpsc::channel::<u64>();
    let waiter = thread::spawn(move || rx.recv().unwrap());
    let mut v = 0u64;
    let p = &raw mut v;
    let a = reborrow(unsafe { &mut *p });
    let mut sum = 0;
    for i in 0..100 {
        sum += helper(i);
    }
    unsafe { *p = sum };
    *a = 2;
    //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    tx.send(sum).unwrap();
    waiter.join().unwrap();
}
