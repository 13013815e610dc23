// simd_gather through a misaligned pointer lane.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let data = [0u32; 4];
    let p = data.as_ptr();
    let ptrs = V([p, p.cast::<u8>().wrapping_add(2).cast::<u32>()]);
    let _v = unsafe { simd_gather(V([0u32, 0]), ptrs, V([-1i32, -1])) }; //~ ERROR: but alignment 4 is required
}
