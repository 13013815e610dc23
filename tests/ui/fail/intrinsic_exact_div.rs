// Intrinsic precondition: `exact_div` with a remainder (7 / 2).
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::hint::black_box;

fn main() {
    let a: u32 = black_box(7);
    let _q = unsafe { std::intrinsics::exact_div(a, 2) }; //~ ERROR: exact_div
}
