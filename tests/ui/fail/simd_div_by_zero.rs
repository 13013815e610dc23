// simd_div by a vector with a zero lane: dividing by zero, as for scalars.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let x = V([10i32, 20, 30, 40]);
    let y = V([1i32, 2, 0, 4]);
    let _q = unsafe { simd_div(x, y) }; //~ ERROR: dividing by zero
}
