//@ compile-flags: -C target-feature=+sse4.1
// x86 integer-lane intrinsics of sse2, ssse3 and sse4.1 (through core::arch's wrappers):
// sums of absolute differences, shifts by a register count, multiply-adds, sign transfer,
// byte shuffles, mpsadbw, minpos and ptest; fences and prefetch hints.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn v8(v: [i8; 16]) -> __m128i {
        unsafe { transmute(v) }
    }
    fn v16(v: [i16; 8]) -> __m128i {
        unsafe { transmute(v) }
    }
    fn v32(v: [i32; 4]) -> __m128i {
        unsafe { transmute(v) }
    }
    fn s8(v: __m128i) -> [i8; 16] {
        unsafe { transmute(v) }
    }
    fn s16(v: __m128i) -> [i16; 8] {
        unsafe { transmute(v) }
    }
    fn s32(v: __m128i) -> [i32; 4] {
        unsafe { transmute(v) }
    }
    fn s64(v: __m128i) -> [i64; 2] {
        unsafe { transmute(v) }
    }

    unsafe fn sse2() {
        let a = v8([1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, 100, 0, 0, 9]);
        let b = v8([8, 7, 6, 5, 4, 3, 2, 1, 1, 2, 3, 4, -100, 0, 0, 9]);
        println!("sad {:?}", s64(_mm_sad_epu8(a, b)));
        let w = v16([1, -1, 0x4000, -0x8000, 3, 7, 0x7fff, 2]);
        for n in [0i64, 1, 15, 16, 100] {
            let c: __m128i = transmute([n, 0]);
            println!("shift {n}: sll {:?} srl {:?} sra {:?}", s16(_mm_sll_epi16(w, c)), s16(_mm_srl_epi16(w, c)), s16(_mm_sra_epi16(w, c)));
        }
        let d = v32([1, -8, i32::MIN, 0x1234_5678]);
        let c: __m128i = transmute([4i64, 99]);
        println!("sll_epi32 {:?} srl {:?} sra {:?}", s32(_mm_sll_epi32(d, c)), s32(_mm_srl_epi32(d, c)), s32(_mm_sra_epi32(d, c)));
        let c: __m128i = transmute([33i64, 0]);
        println!("sll_epi64 {:?} srl_epi64 {:?}", s64(_mm_sll_epi64(d, c)), s64(_mm_srl_epi64(d, c)));
        let c: __m128i = transmute([40i64, 0]);
        println!("sra_epi32 by 40 {:?}", s32(_mm_sra_epi32(d, c)));
    }

    unsafe fn ssse3() {
        let a = v8([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, -128, -1, 0, 1]);
        let idx = v8([15, 14, 13, 12, 0, 0, 1, -128, 3, 19, 33, -1, 7, 8, 9, 10]);
        println!("shuffle_epi8 {:?}", s8(_mm_shuffle_epi8(a, idx)));
        let x = v16([0x7fff, 1, -0x8000, -1, 5, 6, 7, 8]);
        let u = v8([-1, -1, 2, 3, 100, 100, -128, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        let s = v8([127, 127, -1, 2, 100, 100, -128, 5, 1, -1, 1, -1, 0, 0, 9, 9]);
        println!("maddubs {:?}", s16(_mm_maddubs_epi16(u, s)));
        let h = v16([0x4000, -0x8000, 12345, -1, 3, 0x7fff, 2, 1]);
        let k = v16([0x4000, -0x8000, 23456, 1, -3, 0x7fff, 0x4000, 0x4001]);
        println!("mulhrs {:?}", s16(_mm_mulhrs_epi16(h, k)));
        let sb = v8([1, -1, 0, 5, -128, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        println!("sign_epi8 {:?}", s8(_mm_sign_epi8(a, sb)));
        println!("sign_epi16 {:?}", s16(_mm_sign_epi16(x, v16([-1, 0, -1, 1, 1, -5, 0, 2]))));
        println!("sign_epi32 {:?}", s32(_mm_sign_epi32(v32([i32::MIN, 3, 4, 5]), v32([-1, -1, 0, 9]))));
    }

    unsafe fn sse41() {
        let a = v8([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        let b = v8([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        println!("mpsadbw 0 {:?}", s16(_mm_mpsadbw_epu8::<0>(a, b)));
        println!("mpsadbw 5 {:?}", s16(_mm_mpsadbw_epu8::<5>(a, b)));
        println!("mpsadbw 7 {:?}", s16(_mm_mpsadbw_epu8::<7>(a, b)));
        println!("minpos {:?}", s16(_mm_minpos_epu16(v16([9, 8, 3, 7, 3, 100, -1, 4]))));
        println!("minpos all max {:?}", s16(_mm_minpos_epu16(v16([-1; 8]))));
        let m = v32([0xff, 0, 0, 0]);
        for x in [v32([0x0f, 0, 0, 0]), v32([0, 1, 0, 0]), v32([0xff, 0, 0, 0]), v32([0x1ff, 0, 0, 0])] {
            println!("testnzc {}", _mm_testnzc_si128(x, m));
        }
    }

    unsafe fn hints() {
        _mm_sfence();
        _mm_lfence();
        _mm_mfence();
        let data = [1u8; 64];
        _mm_prefetch::<_MM_HINT_T0>(data.as_ptr() as *const i8);
        _mm_prefetch::<_MM_HINT_NTA>(data.as_ptr().wrapping_add(1000) as *const i8);
        println!("fences and prefetches done");
    }

    pub fn main() {
        unsafe {
            hints();
            sse2();
            ssse3();
            sse41();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
