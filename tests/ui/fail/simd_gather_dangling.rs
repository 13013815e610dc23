// simd_gather through a pointer lane one element past the end of the array.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let data = [1u16, 2, 3];
    let p = data.as_ptr();
    let ptrs = V([p, p.wrapping_add(3)]);
    let _v = unsafe { simd_gather(V([0u16, 0]), ptrs, V([-1i16, -1])) }; //~ ERROR: memory access failed
}
