//@compile-flags: -Zmiri-permissive-provenance
// Two adjacent blocks, only the first exposed: a pointer made from the first one's end address
// may move back into the first, but reading forward reads the second, which was never exposed,
// so the pointer has no provenance for it. Twin: tests/ui/pass/adjacent_allocations.rs.
use std::alloc::{Layout, alloc, dealloc};
use std::ptr;

const PAIR: Layout = Layout::new::<[u64; 2]>();

fn main() {
    let mut others = Vec::new();
    for _ in 0..1000 {
        let (a, b) = unsafe { (alloc(PAIR) as *mut u64, alloc(PAIR) as *mut u64) };
        unsafe { b.write(1) };
        if a.addr() + 16 == b.addr() {
            let end = ptr::with_exposed_provenance::<u64>(a.expose_provenance() + 16);
            let _ = unsafe { end.sub(2) };
            let v = unsafe { end.read() }; //~ ERROR: Undefined Behavior: memory access failed
            println!("{v}");
        }
        others.extend([a, b]);
    }
    for p in others {
        unsafe { dealloc(p as *mut u8, PAIR) };
    }
}
