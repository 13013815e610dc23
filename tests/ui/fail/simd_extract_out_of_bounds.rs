// simd_extract_dyn with an index past the last lane.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let v = V([1u32, 2, 3, 4]);
    let i = std::hint::black_box(4);
    let _x: u32 = unsafe { simd_extract_dyn(v, i) }; //~ ERROR: `simd_extract_dyn` index 4 is out-of-bounds of vector with length 4
}
