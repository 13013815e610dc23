// simd_bitmask of a vector that is not a mask.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let m = V([0i64, i64::MIN]);
    let _b: u8 = unsafe { simd_bitmask(m) }; //~ ERROR: each element of a SIMD mask must be all-0-bits or all-1-bits
}
