// Intrinsic precondition: a lane of `simd_shl` shifted by its width or more.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::hint::black_box;
use std::intrinsics::simd::simd_shl;

#[repr(simd)]
#[derive(Clone, Copy)]
struct U32x4([u32; 4]);

fn main() {
    let a = black_box(U32x4([1, 2, 3, 4]));
    let by = black_box(U32x4([1, 2, 32, 0]));
    let _s = unsafe { simd_shl(a, by) }; //~ ERROR: overflowing shift by 32 in `simd_shl` in lane 2
}
