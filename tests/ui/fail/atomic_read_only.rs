// An atomic read-modify-write on read-only memory (an immutable static) is undefined behavior,
// even one that would not change the value. (The aliasing model would object to the
// interior-mutable reference first; this checks the atomic rule on its own.)
//@compile-flags: -Zvigil-disable-stacked-borrows
use std::sync::atomic::{AtomicU32, Ordering};

static X: u32 = 0;

fn main() {
    let a = unsafe { &*(&X as *const u32 as *const AtomicU32) };
    a.fetch_add(0, Ordering::Relaxed); //~ ERROR: atomic store and read-modify-write operations cannot be performed on read-only memory
}
