//@ compile-flags: -C target-feature=+avx512f,+avx512vl,+avx512bw,+avx512vnni,+avx512vbmi,+avx512bitalg,+avx512vpopcntdq
// AVX-512 intrinsics through core::arch: ternary logic (512 and 128 bits), sums of absolute
// differences, multiply-adds, permutes across one and two vectors, byte shuffles, VNNI dot
// products.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn bytes(f: impl Fn(usize) -> u8) -> __m512i {
        unsafe { transmute(std::array::from_fn::<u8, 64, _>(f)) }
    }
    fn i32s(v: __m512i) -> [i32; 16] {
        unsafe { transmute(v) }
    }
    fn i64s(v: __m512i) -> [i64; 8] {
        unsafe { transmute(v) }
    }
    fn u8s(v: __m512i) -> [u8; 64] {
        unsafe { transmute(v) }
    }
    fn i16s(v: __m512i) -> [i16; 32] {
        unsafe { transmute(v) }
    }

    unsafe fn run() {
        let a = bytes(|i| (i * 7) as u8);
        let b = bytes(|i| (i * 13 + 5) as u8);
        let c = bytes(|i| (255 - i * 3) as u8);
        println!("ternlog 0x96 {:x?}", &i32s(_mm512_ternarylogic_epi32::<0x96>(a, b, c))[..4]);
        println!("ternlog 0xe8 {:x?}", &i32s(_mm512_ternarylogic_epi32::<0xe8>(a, b, c))[12..]);
        println!("ternlog64 0x01 {:x?}", &i64s(_mm512_ternarylogic_epi64::<0x01>(a, b, c))[..2]);
        let (x, y, z): (__m128i, __m128i, __m128i) = (transmute([1u32, 2, 3, 4]), transmute([3u32, 3, 3, 3]), transmute([5u32, 0, 5, 0]));
        let t: [u32; 4] = transmute(_mm_ternarylogic_epi32::<0xca>(x, y, z));
        println!("ternlog 128 {t:?}");
        println!("sad {:?}", i64s(_mm512_sad_epu8(a, b)));
        println!("maddubs {:?}", &i16s(_mm512_maddubs_epi16(a, c))[..8]);
        let idx: __m512i = transmute(std::array::from_fn::<i32, 16, _>(|i| (i as i32 * 5) ^ 0x30));
        let vals: __m512i = transmute(std::array::from_fn::<i32, 16, _>(|i| i as i32 * 100));
        println!("permutexvar_epi32 {:?}", i32s(_mm512_permutexvar_epi32(idx, vals)));
        let idx64: __m512i = transmute([7i64, 8, 15, 0, 9, 1, 100, -1]);
        let v64: __m512i = transmute([0i64, 1, 2, 3, 4, 5, 6, 7]);
        let w64: __m512i = transmute([10i64, 11, 12, 13, 14, 15, 16, 17]);
        println!("permutexvar_epi64 {:?}", i64s(_mm512_permutexvar_epi64(idx64, v64)));
        println!("permutex2var_epi64 {:?}", i64s(_mm512_permutex2var_epi64(v64, idx64, w64)));
        let bidx = bytes(|i| (i * 37 + 11) as u8);
        println!("permutex2var_epi8 {:?}", &u8s(_mm512_permutex2var_epi8(a, bidx, b))[..24]);
        let sh = bytes(|i| if i % 7 == 0 { 0x80 } else { (i * 5) as u8 });
        println!("shuffle_epi8 {:?}", &u8s(_mm512_shuffle_epi8(a, sh))[40..]);
        let src: __m512i = transmute([i32::MAX; 16]);
        println!("dpbusd {:?}", &i32s(_mm512_dpbusd_epi32(src, a, c))[..6]);
        let s256: __m256i = transmute([-5i32; 8]);
        let d: [i32; 8] = transmute(_mm256_dpbusd_epi32(s256, transmute([0x01020304u32; 8]), transmute([0x80ff7f01u32; 8])));
        println!("dpbusd 256 {d:?}");
    }

    pub fn main() {
        unsafe { run() }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
