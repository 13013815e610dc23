// An x86 LLVM intrinsic whose target feature (sse4.1) the program is not compiled with: undefined
// behavior at the call, even though the CPU may have it (the program's own `minss` call, whose
// sse feature is a default of the target, is fine).
#![feature(link_llvm_intrinsics, simd_ffi)]
#![allow(internal_features, improper_ctypes)]

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

#[cfg(target_arch = "x86_64")]
extern "C" {
    #[link_name = "llvm.x86.sse.min.ss"]
    fn minss(a: __m128, b: __m128) -> __m128;
    #[link_name = "llvm.x86.sse41.round.ps"]
    fn roundps(a: __m128, rounding: i32) -> __m128;
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        let a: __m128 = std::mem::transmute([1.5f32, 2.5, 3.5, 4.5]);
        let m: [f32; 4] = std::mem::transmute(minss(a, a));
        println!("{m:?}");
        let r = roundps(a, 0); //~ ERROR: attempted to call intrinsic `llvm.x86.sse41.round.ps` that requires missing target feature sse4.1
        let _ = r;
    }
}
