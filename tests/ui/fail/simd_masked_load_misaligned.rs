// simd_masked_load in element-aligned mode from a pointer not aligned to the element.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let buf = [0u64; 4];
    let p = buf.as_ptr().cast::<u8>().wrapping_add(4).cast::<u64>();
    let mask = V([-1i64, 0]);
    let _v = unsafe { simd_masked_load::<_, _, _, { SimdAlign::Element }>(mask, p, V([0u64, 0])) }; //~ ERROR: accessing memory with alignment 4, but alignment 8 is required
}
