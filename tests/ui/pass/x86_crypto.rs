//@ compile-flags: -C target-feature=+aes,+pclmulqdq,+sha,+gfni,+avx2,+vaes,+vpclmulqdq
// x86 cryptographic intrinsics through core::arch: AES rounds (one block, and vaes on two
// blocks), carry-less multiplication (each quadword choice, and vpclmulqdq), the SHA-256
// message and round steps, and GF(2^8) multiplication and affine transforms.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn v(b: [u8; 16]) -> __m128i {
        unsafe { transmute(b) }
    }
    fn hex(x: __m128i) -> String {
        let b: [u8; 16] = unsafe { transmute(x) };
        b.iter().map(|b| format!("{b:02x}")).collect()
    }
    fn hex256(x: __m256i) -> String {
        let b: [u8; 32] = unsafe { transmute(x) };
        b.iter().map(|b| format!("{b:02x}")).collect()
    }
    fn counting(start: u8) -> [u8; 16] {
        std::array::from_fn(|i| start.wrapping_add((i as u8).wrapping_mul(37)))
    }

    unsafe fn aes() {
        let state = v(counting(3));
        let key = v(counting(200));
        println!("aesenc {}", hex(_mm_aesenc_si128(state, key)));
        println!("aesenclast {}", hex(_mm_aesenclast_si128(state, key)));
        println!("aesdec {}", hex(_mm_aesdec_si128(state, key)));
        println!("aesdeclast {}", hex(_mm_aesdeclast_si128(state, key)));
        println!("aesimc {}", hex(_mm_aesimc_si128(state)));
        // A full AES-128 encryption of FIPS-197's example block with its expanded keys.
        let round_keys = expand_key([0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c]);
        let mut s = _mm_xor_si128(v([0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d, 0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34]), round_keys[0]);
        for k in &round_keys[1..10] {
            s = _mm_aesenc_si128(s, *k);
        }
        s = _mm_aesenclast_si128(s, round_keys[10]);
        println!("aes-128 {}", hex(s));
        let s2: __m256i = transmute([state, key]);
        let k2: __m256i = transmute([key, state]);
        println!("vaes enc {}", hex256(_mm256_aesenc_epi128(s2, k2)));
        println!("vaes declast {}", hex256(_mm256_aesdeclast_epi128(s2, k2)));
    }

    unsafe fn expand_key(key: [u8; 16]) -> [__m128i; 11] {
        let mut keys = [v(key); 11];
        macro_rules! step {
            ($i:expr, $rcon:expr) => {{
                let prev = keys[$i - 1];
                let t = _mm_shuffle_epi32::<0xff>(_mm_aeskeygenassist_si128::<$rcon>(prev));
                let mut k = prev;
                k = _mm_xor_si128(k, _mm_slli_si128::<4>(k));
                k = _mm_xor_si128(k, _mm_slli_si128::<4>(k));
                k = _mm_xor_si128(k, _mm_slli_si128::<4>(k));
                keys[$i] = _mm_xor_si128(k, t);
            }};
        }
        let _ = &mut keys;
        step!(1, 0x01);
        step!(2, 0x02);
        step!(3, 0x04);
        step!(4, 0x08);
        step!(5, 0x10);
        step!(6, 0x20);
        step!(7, 0x40);
        step!(8, 0x80);
        step!(9, 0x1b);
        step!(10, 0x36);
        keys
    }

    unsafe fn clmul() {
        let a: __m128i = transmute([0x8000_0000_0000_0001u64, 0xffff_ffff_ffff_ffff]);
        let b: __m128i = transmute([0x0000_0000_0000_0003u64, 0x1234_5678_9abc_def0]);
        println!("clmul 00 {}", hex(_mm_clmulepi64_si128::<0x00>(a, b)));
        println!("clmul 01 {}", hex(_mm_clmulepi64_si128::<0x01>(a, b)));
        println!("clmul 10 {}", hex(_mm_clmulepi64_si128::<0x10>(a, b)));
        println!("clmul 11 {}", hex(_mm_clmulepi64_si128::<0x11>(a, b)));
        let a2: __m256i = transmute([a, b]);
        let b2: __m256i = transmute([b, a]);
        println!("vpclmul 01 {}", hex256(_mm256_clmulepi64_epi128::<0x01>(a2, b2)));
    }

    unsafe fn sha() {
        let a: __m128i = transmute([0x6a09e667u32, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a]);
        let b: __m128i = transmute([0x510e527fu32, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
        let k: __m128i = transmute([0x428a2f98u32, 0x71374491, 0xdeadbeef, 0x12345678]);
        println!("sha256rnds2 {}", hex(_mm_sha256rnds2_epu32(a, b, k)));
        println!("sha256msg1 {}", hex(_mm_sha256msg1_epu32(a, b)));
        println!("sha256msg2 {}", hex(_mm_sha256msg2_epu32(a, b)));
    }

    unsafe fn gfni() {
        let x = v(counting(1));
        let y = v(counting(77));
        println!("gf2p8mul {}", hex(_mm_gf2p8mul_epi8(x, y)));
        // The identity matrix, a bit reversal, and an arbitrary matrix.
        let identity = _mm_set1_epi64x(0x0102_0408_1020_4080);
        let reverse = _mm_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
        let m: __m128i = transmute([0x1f3e_7cf8_f1e3_c78fu64, 0x0123_4567_89ab_cdef]);
        println!("affine identity {}", hex(_mm_gf2p8affine_epi64_epi8::<0>(x, identity)));
        println!("affine reverse {}", hex(_mm_gf2p8affine_epi64_epi8::<0x5a>(x, reverse)));
        println!("affine m {}", hex(_mm_gf2p8affine_epi64_epi8::<0x63>(x, m)));
        println!("affineinv m {}", hex(_mm_gf2p8affineinv_epi64_epi8::<0x63>(x, m)));
        let x2: __m256i = transmute([x, y]);
        let m2: __m256i = transmute([m, identity]);
        println!("affineinv 256 {}", hex256(_mm256_gf2p8affineinv_epi64_epi8::<0x11>(x2, m2)));
    }

    pub fn main() {
        unsafe {
            aes();
            clmul();
            sha();
            gfni();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
