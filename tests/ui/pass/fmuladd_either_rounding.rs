// `fmuladd` may be fused (one rounding) or not (two): every result is one of the two, and
// the same holds lane by lane for `simd_relaxed_fma`. (Vigil picks at random; a native
// build picks one way: the output is the same either way.)
#![feature(core_intrinsics, portable_simd)]
#![allow(internal_features)]

use std::hint::black_box;
use std::intrinsics::fmuladdf64;
use std::intrinsics::simd::simd_relaxed_fma;
use std::simd::f32x4;

fn main() {
    let (a, b) = (black_box(0.1_f64), black_box(0.2_f64));
    let c = black_box(-a * b);
    let fused = a.mul_add(b, c);
    let unfused = a * b + c;
    println!("{}", fused != unfused);
    let ok = (0..64).all(|_| {
        let x = fmuladdf64(black_box(a), b, c);
        x == fused || x == unfused
    });
    println!("{ok}");

    let (va, vb) = (f32x4::splat(black_box(0.1)), f32x4::splat(black_box(0.2)));
    let vc = black_box(-va * vb);
    let (f, u) = (0.1_f32.mul_add(0.2, -(0.1_f32 * 0.2)), 0.1_f32 * 0.2 - 0.1_f32 * 0.2);
    let ok = (0..16).all(|_| {
        let x = unsafe { simd_relaxed_fma(va, vb, vc) };
        x.to_array().iter().all(|&l| l == f || l == u)
    });
    println!("{ok}");
}
