//@ compile-flags: -C target-feature=+avx2,+avx512f,+avx512bw,+avx512vl
// LLVM's x86 intrinsics declared and called directly, for the operations whose core::arch
// wrappers are written with portable SIMD operations (packs with saturation, pmaddwd,
// horizontal saturating adds, ptest/vtest flags, per-lane popcount) and the AVX-only compare
// predicates on SSE vectors.
#![feature(link_llvm_intrinsics, simd_ffi, repr_simd)]
#![allow(internal_features, improper_ctypes, non_camel_case_types)]

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::fmt::Debug;
    use std::mem::transmute;

    #[repr(simd)]
    #[derive(Clone, Copy)]
    pub struct V<T, const N: usize>([T; N]);

    type i8x16 = V<i8, 16>;
    type i16x8 = V<i16, 8>;
    type i32x4 = V<i32, 4>;
    type i64x2 = V<i64, 2>;
    type f32x4 = V<f32, 4>;
    type f64x2 = V<f64, 2>;
    type i8x32 = V<i8, 32>;
    type i16x16 = V<i16, 16>;
    type i32x8 = V<i32, 8>;
    type i8x64 = V<i8, 64>;
    type i16x32 = V<i16, 32>;
    type i32x16 = V<i32, 16>;

    extern "C" {
        #[link_name = "llvm.x86.sse2.packsswb.128"]
        fn packsswb(a: i16x8, b: i16x8) -> i8x16;
        #[link_name = "llvm.x86.sse2.packuswb.128"]
        fn packuswb(a: i16x8, b: i16x8) -> i8x16;
        #[link_name = "llvm.x86.sse2.packssdw.128"]
        fn packssdw(a: i32x4, b: i32x4) -> i16x8;
        #[link_name = "llvm.x86.sse41.packusdw"]
        fn packusdw(a: i32x4, b: i32x4) -> i16x8;
        #[link_name = "llvm.x86.avx2.packsswb"]
        fn packsswb256(a: i16x16, b: i16x16) -> i8x32;
        #[link_name = "llvm.x86.avx2.packusdw"]
        fn packusdw256(a: i32x8, b: i32x8) -> i16x16;
        #[link_name = "llvm.x86.avx512.packuswb.512"]
        fn packuswb512(a: i16x32, b: i16x32) -> i8x64;
        #[link_name = "llvm.x86.sse2.pmadd.wd"]
        fn pmaddwd(a: i16x8, b: i16x8) -> i32x4;
        #[link_name = "llvm.x86.avx512.pmaddw.d.512"]
        fn pmaddwd512(a: i16x32, b: i16x32) -> i32x16;
        #[link_name = "llvm.x86.ssse3.phadd.sw.128"]
        fn phaddsw(a: i16x8, b: i16x8) -> i16x8;
        #[link_name = "llvm.x86.avx2.phsub.sw"]
        fn phsubsw256(a: i16x16, b: i16x16) -> i16x16;
        #[link_name = "llvm.x86.sse41.ptestz"]
        fn ptestz(a: i64x2, b: i64x2) -> i32;
        #[link_name = "llvm.x86.sse41.ptestc"]
        fn ptestc(a: i64x2, b: i64x2) -> i32;
        #[link_name = "llvm.x86.avx.vtestz.pd"]
        fn vtestzpd(a: f64x2, b: f64x2) -> i32;
        #[link_name = "llvm.x86.avx.vtestc.ps"]
        fn vtestcps(a: f32x4, b: f32x4) -> i32;
        #[link_name = "llvm.ctpop.v16i8"]
        fn ctpop8(a: i8x16) -> i8x16;
        #[link_name = "llvm.ctpop.v4i32"]
        fn ctpop32(a: i32x4) -> i32x4;
        #[link_name = "llvm.x86.sse.cmp.ps"]
        fn cmpps(a: f32x4, b: f32x4, imm: i8) -> f32x4;
        #[link_name = "llvm.x86.sse2.cmp.sd"]
        fn cmpsd(a: f64x2, b: f64x2, imm: i8) -> f64x2;
    }

    fn show<T: Debug + Copy, const N: usize>(name: &str, v: V<T, N>) {
        // (A SIMD type's field cannot be projected: read it as an array.)
        let lanes: [T; N] = unsafe { std::mem::transmute_copy(&v) };
        println!("{name} {lanes:?}");
    }

    unsafe fn run() {
        let w = V([300i16, -300, 127, -128, 0, 255, 256, -1]);
        let x = V([1i16, 2, 3, 4, 5, 6, 7, 32767]);
        show("packsswb", packsswb(w, x));
        show("packuswb", packuswb(w, x));
        let d = V([70000i32, -70000, 65535, -1]);
        let e = V([1i32, 2, 3, 40000]);
        show("packssdw", packssdw(d, e));
        show("packusdw", packusdw(d, e));
        let w16 = V(std::array::from_fn::<i16, 16, _>(|i| (i as i16 - 8) * 40));
        show("packsswb256", packsswb256(w16, V([i16::MIN; 16])));
        let d8 = V(std::array::from_fn::<i32, 8, _>(|i| (i as i32 - 2) * 30000));
        show("packusdw256", packusdw256(d8, d8));
        let w32 = V(std::array::from_fn::<i16, 32, _>(|i| (i as i16) * 20 - 100));
        show("packuswb512", packuswb512(w32, V([-5i16; 32])));
        show("pmaddwd", pmaddwd(V([i16::MIN, i16::MIN, 2, 3, 100, -100, 7, 7]), V([i16::MIN, i16::MIN, 2, 3, 100, -100, 7, 7])));
        show("pmaddwd512", pmaddwd512(w32, w32));
        show("phaddsw", phaddsw(V([0x7fff, 1, -0x8000, -1, 5, 6, 7, 8]), V([100, 200, 300, 400, -0x8000, -0x8000, 1, 1])));
        show("phsubsw256", phsubsw256(w16, V(std::array::from_fn::<i16, 16, _>(|i| if i % 2 == 0 { i16::MIN } else { 1 }))));
        let m = V([0xffi64, 0]);
        for a in [V([0x0fi64, 0]), V([0, 1]), V([0xff, 0]), V([0x1ff, 0])] {
            println!("ptestz {} ptestc {}", ptestz(a, m), ptestc(a, m));
        }
        println!("vtestz.pd {} {}", vtestzpd(V([-1.0, 1.0]), V([1.0, -1.0])), vtestzpd(V([-1.0, 1.0]), V([-1.0, 1.0])));
        println!("vtestc.ps {} {}", vtestcps(V([-1.0, 1.0, 1.0, 1.0]), V([-1.0; 4])), vtestcps(V([-1.0; 4]), V([-1.0, 1.0, 1.0, -0.0])));
        show("ctpop8", ctpop8(V([0, 1, 3, 7, 15, -1, -128, 0x55, 2, 4, 8, 16, 32, 64, 0x7f, 0x11])));
        show("ctpop32", ctpop32(V([0, -1, 0x1234_5678, i32::MIN])));
        let a = V([1.0f32, f32::NAN, 3.0, 4.0]);
        let b = V([1.0f32, 2.0, 4.0, 3.0]);
        // The predicate must be a constant.
        macro_rules! cmp {
            ($($imm:literal)*) => {$(
                let r: [u32; 4] = transmute(cmpps(a, b, $imm));
                println!("cmpps {} {r:x?}", $imm);
            )*};
        }
        cmp!(0 8 12 13 16 24 31);
        let r: [u64; 2] = transmute(cmpsd(V([f64::NAN, 5.0]), V([1.0, 6.0]), 0x18));
        println!("cmpsd eq_us {r:x?}");
    }

    pub fn main() {
        unsafe { run() }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
