// simd_scatter through a pointer lane to a freed allocation.
#![feature(core_intrinsics, repr_simd)]
#![allow(internal_features)]
use std::intrinsics::simd::*;

#[repr(simd)]
#[derive(Copy, Clone)]
struct V<T, const N: usize>([T; N]);

fn main() {
    let b = Box::new(0u32);
    let p = Box::into_raw(b);
    drop(unsafe { Box::from_raw(p) });
    let mut live = 0u32;
    let ptrs = V([&raw mut live, p]);
    unsafe { simd_scatter(V([1u32, 2]), ptrs, V([-1i32, -1])) }; //~ ERROR: has been freed
}
