// Intrinsic precondition: `unchecked_add` that overflows (200u8 + 100).
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::hint::black_box;

fn main() {
    let a: u8 = black_box(200);
    let _s = unsafe { std::intrinsics::unchecked_add(a, 100) }; //~ ERROR: overflow
}
