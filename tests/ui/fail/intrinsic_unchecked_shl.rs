// Intrinsic precondition: `unchecked_shl` of a `u32` by 40 bits.
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::hint::black_box;

fn main() {
    let a: u32 = black_box(1);
    let _s = unsafe { std::intrinsics::unchecked_shl(a, 40u32) }; //~ ERROR: overflowing shift
}
