//@compile-flags: -Zmiri-symbolic-alignment-check
// An atomic access needs alignment to its size. With symbolic alignment only the allocation's
// own alignment counts: a `[u32; 2]` is 4-aligned, whatever its address happens to be.
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::intrinsics::{atomic_load, AtomicOrdering};

fn main() {
    let words = [0u32; 2];
    let p = &words as *const [u32; 2] as *const u64;
    unsafe { atomic_load::<u64, { AtomicOrdering::SeqCst }>(p) }; //~ ERROR: alignment 4, but alignment 8 is required
}
