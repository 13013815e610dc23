// simd_rem of MIN by -1 in one lane overflows, as the scalar remainder does.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let x = V([i16::MIN, 7]);
    let y = V([-1i16, 2]);
    let _r = unsafe { simd_rem(x, y) }; //~ ERROR: overflow in signed remainder (dividing MIN by -1)
}
