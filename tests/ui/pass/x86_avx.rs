//@ compile-flags: -C target-feature=+avx2
// AVX and AVX2 intrinsics through core::arch: 256-bit min/max, rounding, comparisons with
// the AVX-only predicates, conversions, permutes, vtest/ptest, dot products, unaligned
// loads, and the integer lanes of AVX2 (shifts, mpsadbw per 128-bit chunk, sad, shuffles,
// signs, multiply-adds, permutes) and gathers.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn ps(v: [f32; 8]) -> __m256 {
        unsafe { transmute(v) }
    }
    fn pd(v: [f64; 4]) -> __m256d {
        unsafe { transmute(v) }
    }
    fn f32s(v: __m256) -> [f32; 8] {
        unsafe { transmute(v) }
    }
    fn f64s(v: __m256d) -> [f64; 4] {
        unsafe { transmute(v) }
    }
    fn u32s(v: __m256) -> [u32; 8] {
        unsafe { transmute(v) }
    }
    fn i8s(v: __m256i) -> [i8; 32] {
        unsafe { transmute(v) }
    }
    fn i16s(v: __m256i) -> [i16; 16] {
        unsafe { transmute(v) }
    }
    fn i32s(v: __m256i) -> [i32; 8] {
        unsafe { transmute(v) }
    }
    fn i64s(v: __m256i) -> [i64; 4] {
        unsafe { transmute(v) }
    }

    unsafe fn avx_float() {
        let a = ps([1.0, f32::NAN, -0.0, 4.0, 2.5, -2.5, 7.0, 0.5]);
        let b = ps([2.0, 1.0, 0.0, f32::NAN, 2.5, 3.5, -7.0, 0.25]);
        println!("min {:?}", u32s(_mm256_min_ps(a, b)));
        println!("max {:?}", u32s(_mm256_max_ps(a, b)));
        println!("max_pd {:?}", f64s(_mm256_max_pd(pd([1.0, f64::NAN, 3.0, -1.0]), pd([0.0, 2.0, f64::NAN, -2.0]))));
        println!("round nearest {:?}", f32s(_mm256_round_ps::<_MM_FROUND_TO_NEAREST_INT>(a)));
        println!("round down {:?}", f64s(_mm256_round_pd::<_MM_FROUND_TO_NEG_INF>(pd([1.5, -1.5, 2.0, -0.5]))));
        println!("cmp eq_uq {:x?}", u32s(_mm256_cmp_ps::<_CMP_EQ_UQ>(a, b)));
        println!("cmp nge_uq {:x?}", u32s(_mm256_cmp_ps::<_CMP_NGE_UQ>(a, b)));
        println!("cmp false {:x?}", u32s(_mm256_cmp_ps::<_CMP_FALSE_OQ>(a, b)));
        println!("cmp true {:x?}", u32s(_mm256_cmp_ps::<_CMP_TRUE_US>(a, b)));
        println!("cmp gt_oq {:x?}", u32s(_mm256_cmp_ps::<_CMP_GT_OQ>(a, b)));
        let c: [u64; 4] = transmute(_mm256_cmp_pd::<_CMP_NEQ_OQ>(pd([1.0, f64::NAN, 3.0, 4.0]), pd([1.0, 1.0, 2.0, 5.0])));
        println!("cmp_pd neq_oq {c:x?}");
        let s: [u32; 4] = transmute(_mm_cmp_ss::<_CMP_NLT_UQ>(transmute::<_, [__m128; 2]>(a)[0], transmute::<_, [__m128; 2]>(b)[0]));
        println!("cmp_ss nlt_uq {s:x?}");
        println!("cvtps {:?}", i32s(_mm256_cvtps_epi32(a)));
        println!("cvttps {:?}", i32s(_mm256_cvttps_epi32(ps([1.9, -1.9, 3e9, 0.5, 1.5, 2.5, -2.5, 8.0]))));
        let h: [i32; 4] = transmute(_mm256_cvtpd_epi32(pd([0.5, 1.5, -3e10, 4.4])));
        let t: [i32; 4] = transmute(_mm256_cvttpd_epi32(pd([0.5, -1.5, f64::NAN, 4.9])));
        println!("cvtpd {h:?} cvttpd {t:?}");
        let idx: __m256i = transmute([3i32, 0, 1, 2, 7, 6, 5, 4]);
        println!("permutevar_ps {:?}", f32s(_mm256_permutevar_ps(ps([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]), idx)));
        let idxd: __m256i = transmute([2i64, 0, 0, 3]);
        println!("permutevar_pd {:?}", f64s(_mm256_permutevar_pd(pd([0.0, 1.0, 2.0, 3.0]), idxd)));
        let i128: __m128i = transmute([1i64, 0]);
        let p: [f64; 2] = transmute(_mm_permutevar_pd(transmute([5.0f64, 6.0]), _mm_slli_epi64::<1>(i128)));
        println!("permutevar_pd 128 {p:?}");
        println!("dp {:?}", f32s(_mm256_dp_ps::<0xf3>(ps([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]), ps([1.0; 8]))));
        let neg = ps([-1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let pos = ps([1.0; 8]);
        println!(
            "testz {} {} testc {} {} testnzc {} {}",
            _mm256_testz_ps(neg, neg),
            _mm256_testz_ps(pos, neg),
            _mm256_testc_ps(pos, neg),
            _mm256_testc_ps(neg, neg),
            _mm256_testnzc_ps(neg, ps([-1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])),
            _mm256_testnzc_pd(pd([-1.0, 1.0, 1.0, 1.0]), pd([-1.0, -1.0, 0.0, 0.0]))
        );
        let x: __m256i = transmute([1i64, 2, 4, 8]);
        let y: __m256i = transmute([1i64, 0, 0, 0]);
        println!("testnzc_si256 {} {}", _mm256_testnzc_si256(x, y), _mm256_testnzc_si256(x, transmute([3i64, 0, 0, 0])));
        let r = f32s(_mm256_rsqrt_ps(ps([4.0; 8])));
        println!("rsqrt within bound {}", r.iter().all(|v| ((v - 0.5) / 0.5).abs() < 1.0 / 2048.0));
        let bytes: [u8; 40] = std::array::from_fn(|i| i as u8);
        println!("lddqu {:?}", i8s(_mm256_lddqu_si256(bytes.as_ptr().add(3) as *const __m256i)));
        let l: [u8; 16] = transmute(_mm_lddqu_si128(bytes.as_ptr().add(17) as *const __m128i));
        println!("lddqu 128 {l:?}");
        _mm256_zeroupper();
        _mm256_zeroall();
    }

    unsafe fn avx2_int() {
        let w: __m256i = transmute([1i16, -1, 0x4000, -0x8000, 3, 7, 0x7fff, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
        let c: __m128i = transmute([3i64, 0]);
        println!("sll {:?}", i16s(_mm256_sll_epi16(w, c)));
        println!("sra {:?}", i16s(_mm256_sra_epi16(w, c)));
        println!("srl_epi64 {:?}", i64s(_mm256_srl_epi64(w, c)));
        println!("sra_epi32 by 99 {:?}", i32s(_mm256_sra_epi32(w, transmute([99i64, 0]))));
        let a: __m256i = transmute(std::array::from_fn::<u8, 32, _>(|i| (i * 3) as u8));
        let b: __m256i = transmute(std::array::from_fn::<u8, 32, _>(|i| (100 - i * 2) as u8));
        println!("mpsadbw 0 {:?}", i16s(_mm256_mpsadbw_epu8::<0>(a, b)));
        println!("mpsadbw 001 {:?}", i16s(_mm256_mpsadbw_epu8::<0b001>(a, b)));
        println!("mpsadbw 101110 {:?}", i16s(_mm256_mpsadbw_epu8::<0b101_110>(a, b)));
        println!("sad {:?}", i64s(_mm256_sad_epu8(a, b)));
        let idx: __m256i = transmute(std::array::from_fn::<i8, 32, _>(|i| if i % 5 == 0 { -1 } else { (31 - i) as i8 }));
        println!("shuffle_epi8 {:?}", i8s(_mm256_shuffle_epi8(a, idx)));
        println!("sign_epi16 {:?}", i16s(_mm256_sign_epi16(w, _mm256_shuffle_epi8(idx, idx))));
        println!("maddubs {:?}", i16s(_mm256_maddubs_epi16(a, idx)));
        println!("mulhrs {:?}", i16s(_mm256_mulhrs_epi16(w, w)));
        let vals: __m256i = transmute([10i32, 11, 12, 13, 14, 15, 16, 17]);
        let perm: __m256i = transmute([7i32, 0, 9, -1, 3, 3, 4, 100]);
        println!("permutevar8x32 {:?}", i32s(_mm256_permutevar8x32_epi32(vals, perm)));
        println!("permutevar8x32_ps {:?}", f32s(_mm256_permutevar8x32_ps(ps([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]), perm)));
    }

    unsafe fn gathers() {
        let table: [i32; 16] = std::array::from_fn(|i| (i * i) as i32);
        let p = table.as_ptr();
        let off: __m256i = transmute([0i32, 3, 15, 2, 7, 1, 9, 4]);
        println!("i32gather_epi32 {:?}", i32s(_mm256_i32gather_epi32::<4>(p, off)));
        let off2: __m128i = transmute([8i32, 4, 0, 12]);
        let g: [i32; 4] = transmute(_mm_i32gather_epi32::<1>(p, off2));
        println!("i32gather scale 1 {g:?}");
        let wide: [i64; 8] = std::array::from_fn(|i| -(i as i64) * 1000);
        let off64: __m256i = transmute([7i64, 0, 3, 5]);
        println!("i64gather_epi64 {:?}", i64s(_mm256_i64gather_epi64::<8>(wide.as_ptr(), off64)));
        let src: __m256i = transmute([-1i64; 4]);
        let mask: __m256i = transmute([-1i64, 0, -1, 0]);
        println!("mask_i64gather {:?}", i64s(_mm256_mask_i64gather_epi64::<8>(src, wide.as_ptr(), off64, mask)));
        let d: [f64; 4] = [0.5, 1.5, 2.5, 3.5];
        let offd: __m128i = transmute([3i32, 2, 1, 0]);
        let dmask: __m256d = transmute([-1i64, -1, 0, -1]);
        println!("mask_i32gather_pd {:?}", f64s(_mm256_mask_i32gather_pd::<8>(pd([9.0; 4]), d.as_ptr(), offd, dmask)));
        let q: [i32; 4] = transmute(_mm256_i64gather_epi32::<4>(p, off64));
        println!("i64gather_epi32 {q:?}");
        let s: [f32; 4] = [1.0, 2.0, 3.0, 4.0];
        let offs: __m128i = transmute([1i64, 3]);
        let r: [f32; 4] = transmute(_mm_mask_i64gather_ps::<4>(transmute([9.0f32; 4]), s.as_ptr(), offs, transmute([-1i32; 4])));
        println!("i64gather_ps (upper lanes zero) {r:?}");
    }

    pub fn main() {
        unsafe {
            avx_float();
            avx2_int();
            gathers();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
