//@ compile-flags: -C target-feature=+sse4.2
// SSE4.2 through core::arch: CRC-32C of several widths, and the packed string comparisons
// (implicit and explicit lengths; equal-any, ranges, equal-each, equal-ordered; polarities;
// index, mask and flag results).
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::transmute;

    fn text(s: &[u8]) -> __m128i {
        let mut v = [0u8; 16];
        v[..s.len()].copy_from_slice(s);
        unsafe { transmute(v) }
    }
    fn words(s: [u16; 8]) -> __m128i {
        unsafe { transmute(s) }
    }
    fn bytes(v: __m128i) -> [u8; 16] {
        unsafe { transmute(v) }
    }

    unsafe fn crc() {
        let mut c = !0u32;
        for &b in b"123456789" {
            c = _mm_crc32_u8(c, b);
        }
        println!("crc32c(123456789) = {:08x}", !c);
        println!("u16 {:08x} u32 {:08x} u64 {:016x}", _mm_crc32_u16(7, 0xbeef), _mm_crc32_u32(0xffff_ffff, 0xdead_beef), _mm_crc32_u64(0x1234_5678_9abc_def0, 0x0123_4567_89ab_cdef));
    }

    unsafe fn strings() {
        let hay = text(b"hello, world");
        let vowels = text(b"aeiou");
        const ANY: i32 = _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY;
        println!("any index {} msb {}", _mm_cmpistri::<ANY>(vowels, hay), _mm_cmpistri::<{ ANY | _SIDD_MOST_SIGNIFICANT }>(vowels, hay));
        println!("any mask {:?}", bytes(_mm_cmpistrm::<ANY>(vowels, hay)));
        println!("any unit mask {:?}", bytes(_mm_cmpistrm::<{ ANY | _SIDD_UNIT_MASK }>(vowels, hay)));
        println!("any negative {:?}", bytes(_mm_cmpistrm::<{ ANY | _SIDD_NEGATIVE_POLARITY }>(vowels, hay)));
        println!("any masked negative {:?}", bytes(_mm_cmpistrm::<{ ANY | _SIDD_MASKED_NEGATIVE_POLARITY }>(vowels, hay)));
        let ranges = text(b"az09");
        const RANGES: i32 = _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES;
        println!("ranges index {} mask {:?}", _mm_cmpistri::<RANGES>(ranges, text(b"A1,b")), bytes(_mm_cmpistrm::<RANGES>(ranges, text(b"A1,b"))));
        const EACH: i32 = _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH;
        println!("each mask {:?}", bytes(_mm_cmpistrm::<EACH>(text(b"abcdef"), text(b"abXdefgh"))));
        println!("each first difference {}", _mm_cmpistri::<{ EACH | _SIDD_NEGATIVE_POLARITY }>(text(b"abcdef"), text(b"abXdef")));
        const ORDERED: i32 = _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ORDERED;
        println!("ordered index {}", _mm_cmpistri::<ORDERED>(text(b"wor"), hay));
        println!("ordered partial at end {}", _mm_cmpistri::<ORDERED>(text(b"ldx"), text(b"0123456789abcdld")));
        println!("ordered none {}", _mm_cmpistri::<ORDERED>(text(b"xyz"), hay));
        println!("ordered mask {:?}", bytes(_mm_cmpistrm::<ORDERED>(text(b"l"), hay)));
        println!(
            "flags c{} z{} s{} o{} a{}",
            _mm_cmpistrc::<ANY>(vowels, hay),
            _mm_cmpistrz::<ANY>(vowels, hay),
            _mm_cmpistrs::<ANY>(vowels, hay),
            _mm_cmpistro::<ANY>(vowels, hay),
            _mm_cmpistra::<ANY>(vowels, hay)
        );
        let full = text(b"0123456789abcdef");
        println!("full flags z{} s{} a{} c{}", _mm_cmpistrz::<ANY>(full, full), _mm_cmpistrs::<ANY>(full, full), _mm_cmpistra::<ANY>(text(b"x"), full), _mm_cmpistrc::<ANY>(text(b"x"), full));
        // Explicit lengths: zeros inside count; negative lengths count by absolute value.
        let a = text(b"a\0b");
        let b = text(b"x\0y\0b");
        println!("explicit index {} {} {}", _mm_cmpestri::<ANY>(a, 3, b, 5), _mm_cmpestri::<ANY>(a, 1, b, 5), _mm_cmpestri::<ANY>(a, -3, b, -5));
        println!("explicit mask {:?}", bytes(_mm_cmpestrm::<ANY>(a, 3, b, 5)));
        println!(
            "explicit flags c{} z{} s{} o{} a{} z16 {} s99 {}",
            _mm_cmpestrc::<ANY>(a, 3, b, 5),
            _mm_cmpestrz::<ANY>(a, 3, b, 5),
            _mm_cmpestrs::<ANY>(a, 3, b, 5),
            _mm_cmpestro::<ANY>(a, 3, b, 5),
            _mm_cmpestra::<ANY>(a, 3, b, 16),
            _mm_cmpestrz::<ANY>(a, 3, b, 16),
            _mm_cmpestrs::<ANY>(a, 99, b, 5)
        );
        // Words, signed.
        const SW: i32 = _SIDD_SWORD_OPS | _SIDD_CMP_RANGES;
        let r = words([0xff00, 0x0010, 0, 0, 0, 0, 0, 0]);
        let w = words([0x0005, 0xfff0, 0x0020, 0x8000, 0, 0, 0, 0]);
        println!("signed word ranges {:?} index {}", bytes(_mm_cmpistrm::<{ SW | _SIDD_UNIT_MASK }>(r, w)), _mm_cmpistri::<{ SW | _SIDD_MOST_SIGNIFICANT }>(r, w));
        const UW: i32 = _SIDD_UWORD_OPS | _SIDD_CMP_RANGES;
        println!("unsigned word ranges {:?}", bytes(_mm_cmpistrm::<UW>(r, w)));
    }

    pub fn main() {
        unsafe {
            crc();
            strings();
        }
    }
}

fn main() {
    #[cfg(target_arch = "x86_64")]
    x86::main();
}
