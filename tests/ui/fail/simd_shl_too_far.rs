// simd_shl by the lane width or more: the shift amount and lane are named.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let x = V([1u8, 2, 3, 4]);
    let y = V([1u8, 7, 8, 0]);
    let _s = unsafe { simd_shl(x, y) }; //~ ERROR: overflowing shift by 8 in `simd_shl` in lane 2
}
