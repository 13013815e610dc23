// Intrinsic precondition: `assume(false)`.
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::hint::black_box;

fn main() {
    let b = black_box(false);
    unsafe { std::intrinsics::assume(b) }; //~ ERROR: assume
}
