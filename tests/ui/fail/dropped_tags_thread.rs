//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A reference another thread made while this one was in a call lives in that thread's
// registers: its tag keeps its node when the call returns, and the foreign write that
// disabled it is still seen when the other thread uses it.
// Twin: tests/ui/pass/dropped_tags.rs.
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);
static GO: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Copy)]
struct Ptr(*mut u64);
unsafe impl Send for Ptr {}

#[inline(never)]
fn helper(n: u64) -> u64 {
    let a = [n, n + 1];
    let r = &a;
    std::hint::black_box(());
    r[0] + r[1]
}

fn main() {
    let mut v = 0u64;
    let p = Ptr(&raw mut v);
    thread::scope(|s| {
        s.spawn(move || {
            let q = p;
            let r = unsafe { &mut *q.0 };
            *r = 1;
            READY.store(true, Ordering::Release);
            while !GO.load(Ordering::Acquire) {
                thread::yield_now();
            }
            *r = 2;
            //~[stack]^ ERROR: /attempting a write access using .* but that tag does not exist/
            //~[tree]^^ ERROR: /write access through .* is forbidden/
        });
        while !READY.load(Ordering::Acquire) {
            thread::yield_now();
        }
        let h = helper(3);
        unsafe { *p.0 = h };
        GO.store(true, Ordering::Release);
    });
}
