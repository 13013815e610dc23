// Bit manipulation: count_ones/zeros, leading/trailing zeros and ones, rotate_left/right, swap_bytes, reverse_bits,
// to_be/from_le, pow, is_power_of_two, bitwise and/or/xor/not, shifts (arithmetic vs logical), masks, popcount
// tricks, bit-set operations on u64 words, a small CRC32.
use std::hint::black_box;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB88320 & mask);
        }
    }
    !crc
}

fn main() {
    let x: u32 = black_box(0b1011_0000_0000_0000_0000_0000_0001_0110);
    println!("x = {:#034b}", x);
    println!("count_ones {} count_zeros {} leading_zeros {} trailing_zeros {}", x.count_ones(), x.count_zeros(), x.leading_zeros(), x.trailing_zeros());
    println!("leading_ones {} trailing_ones {}", x.leading_ones(), 0b0111u8.trailing_ones());
    println!("rotate_left 4 {:#010x} rotate_right 4 {:#010x}", x.rotate_left(4), x.rotate_right(4));
    println!("swap_bytes {:#010x} reverse_bits {:#034b}", x.swap_bytes(), x.reverse_bits());
    println!("to_be {:#010x} from_le {:#010x}", x.to_be(), u32::from_le(x));
    for t in [0u8, 1, 0x80, 0xff, 0x0f] {
        println!("u8 {:#04x}: lz {} tz {} ones {} rotl3 {:#04x} rev {:#04x}", t, t.leading_zeros(), t.trailing_zeros(), t.count_ones(), t.rotate_left(3), t.reverse_bits());
    }
    let w: u16 = black_box(0x1234);
    println!("u16 swap {:#06x} rotl 8 {:#06x} lz {}", w.swap_bytes(), w.rotate_left(8), w.leading_zeros());
    let q: u64 = black_box(0x0123_4567_89ab_cdef);
    println!("u64 swap {:#018x} rev {:#018x} ones {} rotr 12 {:#018x}", q.swap_bytes(), q.reverse_bits(), q.count_ones(), q.rotate_right(12));
    let s: i32 = black_box(-16);
    println!("i32 -16 >> 2 = {} (arith), as u32 >> 2 = {} (logical), << 3 = {}", s >> 2, (s as u32) >> 2, s << 3);
    println!("i32 -1 count_ones {} leading_zeros {} i8 -1 rotate {}", (-1i32).count_ones(), (-1i32).leading_zeros(), (-1i8).rotate_left(3));
    println!("and {:#x} or {:#x} xor {:#x} not {:#x} not i8 {}", x & 0xff, x | 0xff, x ^ 0xffff, !x, !black_box(5i8));
    println!("pow: {} {} {} {}", 2u64.pow(40), 3i32.pow(19), (-2i64).pow(63), 10u128.pow(30));
    println!("is_power_of_two {} {} {} next {}", 64u32.is_power_of_two(), 0u32.is_power_of_two(), 96u32.is_power_of_two(), 96u32.next_power_of_two());
    let v: u32 = black_box(0b1011_0100);
    println!("lowest set bit {:#b} clear lowest {:#b} isolate highest {:#b}", v & v.wrapping_neg(), v & (v - 1), 1u32 << (31 - v.leading_zeros()));
    let mut bits = [0u64; 4];
    for i in (0..256).filter(|i| i % 7 == 0 || i % 11 == 0) {
        bits[i / 64] |= 1u64 << (i % 64);
    }
    let total: u32 = bits.iter().map(|w| w.count_ones()).sum();
    println!("bitset words {:x?} total {}", bits, total);
    let set: Vec<usize> = (0..256).filter(|&i| bits[i / 64] >> (i % 64) & 1 == 1).take(10).collect();
    println!("first members {:?}", set);
    println!("crc32 {:#010x} {:#010x}", crc32(b"123456789"), crc32(b"The quick brown fox jumps over the lazy dog"));
    let mut gray = vec![];
    for i in 0u8..8 {
        gray.push(format!("{:03b}", i ^ (i >> 1)));
    }
    println!("gray {:?}", gray);
    let packed: u32 = (0x12 << 24) | (0x34 << 16) | (0x56 << 8) | 0x78;
    println!("unpack {:x} {:x} {:x} {:x}", packed >> 24, (packed >> 16) & 0xff, (packed >> 8) & 0xff, packed & 0xff);
    let h: u128 = black_box(1u128 << 100 | 1);
    println!("u128 ones {} lz {} tz {} rotl 30 {:#x}", h.count_ones(), h.leading_zeros(), h.trailing_zeros(), h.rotate_left(30));
    let signed: i16 = black_box(-300);
    println!("i16 -300 {:#06x} swap {} rev {}", signed, signed.swap_bytes(), signed.reverse_bits());
    println!("parity of 0xdeadbeef {}", 0xdeadbeefu32.count_ones() % 2);
    println!("checked shifts {:?} {:?} wrapping_shl {}", 1u8.checked_shl(7), 1u8.checked_shl(8), 1u8.wrapping_shl(9));
}
