// simd_reduce_all on a vector that is not a mask (a lane is 2).
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let m = V([-1i8, -1, 2, -1]);
    let _all = unsafe { simd_reduce_all(m) }; //~ ERROR: each element of a SIMD mask must be all-0-bits or all-1-bits
}
