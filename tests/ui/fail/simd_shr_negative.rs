// simd_shr by a negative amount (a signed lane) is as out of range as one too large.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let x = V([100i64, 200]);
    let y = V([3i64, -1]);
    let _s = unsafe { simd_shr(x, y) }; //~ ERROR: overflowing shift by -1 in `simd_shr` in lane 1
}
