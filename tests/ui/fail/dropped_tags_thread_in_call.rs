//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Another thread makes a reference while this one is inside a call. Tags are numbered in
// one sequence for all threads, so the other thread's tag is newer than the call's first
// one: the return must not take it for one of the call's own and drop its node. The
// foreign write that disables it is still seen when the other thread uses it.
// Twin: tests/ui/pass/dropped_tags.rs.
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static INSIDE: AtomicBool = AtomicBool::new(false);
static MADE: AtomicBool = AtomicBool::new(false);
static GO: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Copy)]
struct Ptr(*mut u64);
unsafe impl Send for Ptr {}

#[inline(never)]
fn wait_in_call() -> u64 {
    let a = [1u64, 2];
    let r = &a;
    INSIDE.store(true, Ordering::Release);
    while !MADE.load(Ordering::Acquire) {
        thread::yield_now();
    }
    r[0] + r[1]
}

fn main() {
    let mut v = 0u64;
    let p = Ptr(&raw mut v);
    thread::scope(|s| {
        s.spawn(move || {
            let q = p;
            while !INSIDE.load(Ordering::Acquire) {
                thread::yield_now();
            }
            let r = unsafe { &mut *q.0 };
            *r = 1;
            MADE.store(true, Ordering::Release);
            while !GO.load(Ordering::Acquire) {
                thread::yield_now();
            }
            *r = 2;
            //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
            //~[tree]^^ ERROR: /write access through .* is forbidden/
        });
        let h = wait_in_call();
        unsafe { *p.0 = h };
        GO.store(true, Ordering::Release);
    });
}
