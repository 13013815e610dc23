// SSE2 integer intrinsics as portable code uses them (rand's ChaCha backend, string search):
// lane-wise add, xor, shifts, shuffles, compares and movemask.
#[cfg(target_arch = "x86_64")]
fn main() {
    use std::arch::x86_64::*;
    unsafe {
        let a = _mm_setr_epi32(1, -2, 0x7fff_ffff, 0x1234_5678);
        let b = _mm_set1_epi32(3);
        let mut out = [0i32; 4];
        let show = |v: __m128i, out: &mut [i32; 4]| {
            _mm_storeu_si128(out.as_mut_ptr().cast(), v);
            *out
        };
        println!("add   {:?}", show(_mm_add_epi32(a, b), &mut out));
        println!("xor   {:?}", show(_mm_xor_si128(a, b), &mut out));
        println!("slli  {:?}", show(_mm_slli_epi32::<16>(a), &mut out));
        println!("srli  {:?}", show(_mm_srli_epi32::<4>(a), &mut out));
        println!("srai  {:?}", show(_mm_srai_epi32::<4>(a), &mut out));
        println!("slli0 {:?}", show(_mm_slli_epi32::<32>(a), &mut out));
        // A rotation by 16 the way ChaCha writes it.
        let rot = _mm_or_si128(_mm_slli_epi32::<16>(a), _mm_srli_epi32::<16>(a));
        println!("rot   {:x?}", show(rot, &mut out));
        println!("shuf  {:?}", show(_mm_shuffle_epi32::<0b00_01_10_11>(a), &mut out));
        let bytes = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        let eq = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(9));
        println!("mask  {:#x}", _mm_movemask_epi8(eq));
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {}
