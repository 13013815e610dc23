// An atomic access must be aligned to its size: a u64 atomic load at an address that is only
// 4-aligned (through the intrinsic, so that no misaligned reference is made first).
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::intrinsics::{atomic_load, AtomicOrdering};

fn main() {
    let buf = [0u32; 4];
    let base = buf.as_ptr();
    let p = if (base as usize) % 8 == 0 { base.wrapping_add(1) } else { base };
    let _v = unsafe { atomic_load::<u64, { AtomicOrdering::SeqCst }>(p as *const u64) }; //~ ERROR: accessing memory with alignment 4, but alignment 8 is required
}
