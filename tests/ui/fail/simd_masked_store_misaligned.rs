// simd_masked_store in vector-aligned mode to a pointer only aligned to the element.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

#[repr(C, align(16))]
struct Buf([f32; 8]);

fn main() {
    let mut buf = Buf([0.0; 8]);
    let p = buf.0.as_mut_ptr().wrapping_add(1);
    let mask = V([0i32, 0, 0, 0]);
    unsafe { simd_masked_store::<_, _, _, { SimdAlign::Vector }>(mask, p, V([1.0f32; 4])) }; //~ ERROR: accessing memory with alignment 4, but alignment 16 is required
}
