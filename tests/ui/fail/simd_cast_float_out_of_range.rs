// simd_cast of a float that does not fit the integer lane (simd_as would saturate).
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let f = V([1.5f64, -1.0]);
    let _i: V<u32, 2> = unsafe { simd_cast(f) }; //~ ERROR: `simd_cast` intrinsic called on -1f64 which cannot be represented in target type `u32`
}
