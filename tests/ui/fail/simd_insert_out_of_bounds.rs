// simd_insert_dyn with an index past the last lane.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let v = V([1u32, 2]);
    let i = std::hint::black_box(7);
    let _v = unsafe { simd_insert_dyn(v, i, 9u32) }; //~ ERROR: `simd_insert_dyn` index 7 is out-of-bounds of vector with length 2
}
