// simd_funnel_shl by the lane width is UB (each shift must be below it).
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let a = V([0x1234u16, 1]);
    let b = V([0x5678u16, 2]);
    let _f = unsafe { simd_funnel_shl(a, b, V([16u16, 0])) }; //~ ERROR: overflowing shift by 16 in `simd_funnel_shl` in lane 0
}
