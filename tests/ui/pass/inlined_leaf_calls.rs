// Small leaf functions that Vigil inlines into their callers behave as called ones: values
// returned through unions (initialized only when written), overflow panics raised inside an
// inlined body and caught (the caller's cleanup runs: a value with a destructor is live across
// the call), raw-pointer reads, leaves called in a loop with arguments in registers and
// constants, a `#[track_caller]` leaf whose panic names its caller's line, and a `&mut`
// argument whose protector ends when the inlined call returns (a write through a raw pointer
// to its place is fine after the call). Twin of tests/ui/fail/inlined_leaf_*.rs and
// tests/ui/fail/inlined_protector.rs.
use std::panic;

#[derive(Clone, Copy)]
union Slot {
    value: u32,
    empty: (),
}

fn slot(full: bool, v: u32) -> Slot {
    if full { Slot { value: v } } else { Slot { empty: () } }
}

fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn get(p: *const u64) -> u64 {
    unsafe { *p }
}

fn bump(r: &mut i32, by: i32) -> i32 {
    *r ^= by;
    *r
}

fn scale(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k) ^ (x >> 3)
}

#[track_caller]
fn incremented(x: i32) -> i32 {
    x + 1
}

struct Loud(&'static str);

impl Drop for Loud {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn guarded(a: i32, b: i32) -> i32 {
    let _g = Loud("guard");
    add(a, b)
}

fn main() {
    // Only a written slot is read.
    let mut total = 0u32;
    for i in 0..10 {
        let s = slot(i % 3 != 0, i);
        if i % 3 != 0 {
            total += unsafe { s.value };
        }
    }
    println!("total {total}");

    // Overflow inside the inlined `add`, caught; the caller's guard is dropped on the way.
    panic::set_hook(Box::new(|info| {
        let msg = info.payload().downcast_ref::<&str>().copied().unwrap_or("?");
        let at = info.location().unwrap();
        println!("panicked: {msg} at line {}", at.line());
    }));
    let r = panic::catch_unwind(|| guarded(i32::MAX, 1));
    println!("caught: {}", r.is_err());
    let r = panic::catch_unwind(|| guarded(40, 2));
    println!("ok: {:?}", r);
    let r = panic::catch_unwind(|| incremented(i32::MAX));
    println!("caught: {}", r.is_err());
    println!("ok: {}", incremented(5));

    let b = Box::new(11u64);
    let p = &*b as *const u64;
    let mut acc = 0u64;
    for k in 0..1000u64 {
        acc = acc.wrapping_add(scale(get(p), k));
    }
    println!("acc {acc}");

    // The protector of `bump`'s argument ends with the call.
    let mut x = 1;
    let p = &raw mut x;
    let r = unsafe { &mut *p };
    let v = bump(r, 2);
    unsafe { *p = v + 10 };
    println!("x {x}");
}
