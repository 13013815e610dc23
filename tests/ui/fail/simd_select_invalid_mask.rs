// simd_select with a mask lane that is neither 0 nor all ones.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let mask = V([0i32, -1, 1, 0]);
    let _v = unsafe { simd_select(mask, V([1u8, 2, 3, 4]), V([5u8, 6, 7, 8])) }; //~ ERROR: each element of a SIMD mask must be all-0-bits or all-1-bits
}
