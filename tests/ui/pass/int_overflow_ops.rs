// Integer overflow handling without panics: checked_/wrapping_/saturating_/overflowing_ ops on several widths,
// i32::MIN / -1 and % -1 via checked_div/checked_rem/wrapping_div, abs/neg edge cases, shifts, pow, euclid ops.
use std::hint::black_box;

fn main() {
    let a: i32 = black_box(i32::MAX);
    let m: i32 = black_box(i32::MIN);
    println!("checked_add {:?} {:?}", a.checked_add(1), a.checked_add(-1));
    println!("checked_sub {:?} checked_mul {:?} {:?}", m.checked_sub(1), a.checked_mul(2), 1000i32.checked_mul(1000));
    println!("checked_div MIN/-1 {:?} MIN/2 {:?} x/0 {:?}", m.checked_div(-1), m.checked_div(2), 5i32.checked_div(0));
    println!("checked_rem MIN%-1 {:?} 7%0 {:?}", m.checked_rem(-1), 7i32.checked_rem(0));
    println!("checked_neg {:?} checked_abs {:?} checked_shl {:?} {:?}", m.checked_neg(), m.checked_abs(), 1i32.checked_shl(31), 1i32.checked_shl(32));
    println!("checked_pow {:?} {:?}", 2i32.checked_pow(30), 2i32.checked_pow(31));
    println!("wrapping_add {} wrapping_sub {} wrapping_mul {}", a.wrapping_add(1), m.wrapping_sub(1), a.wrapping_mul(3));
    println!("wrapping_div MIN/-1 {} wrapping_rem {} wrapping_neg {} wrapping_abs {}", m.wrapping_div(-1), m.wrapping_rem(-1), m.wrapping_neg(), m.wrapping_abs());
    println!("wrapping_shl {} wrapping_shr {} wrapping_pow {}", 1i32.wrapping_shl(33), (-16i32).wrapping_shr(34), 3i32.wrapping_pow(40));
    println!("saturating_add {} {} saturating_sub {} saturating_mul {} {}", a.saturating_add(5), m.saturating_add(-5), m.saturating_sub(1), a.saturating_mul(-2), 7i32.saturating_mul(6));
    println!("saturating_pow {} saturating_neg {} saturating_abs {}", 10i32.saturating_pow(20), m.saturating_neg(), m.saturating_abs());
    println!("overflowing_add {:?} overflowing_sub {:?} overflowing_mul {:?}", a.overflowing_add(1), 0u32.overflowing_sub(1), 0x1_0000u32.overflowing_mul(0x1_0000));
    println!("overflowing_div MIN/-1 {:?} overflowing_neg {:?} overflowing_shl {:?}", m.overflowing_div(-1), m.overflowing_neg(), 1u8.overflowing_shl(9));
    let u: u8 = black_box(250);
    println!("u8: {:?} {} {} {:?}", u.checked_add(10), u.wrapping_add(10), u.saturating_add(10), u.overflowing_add(10));
    println!("u8 sub: {:?} {} {} {:?}", 5u8.checked_sub(u), 5u8.wrapping_sub(u), 5u8.saturating_sub(u), 5u8.overflowing_sub(u));
    let i8v: i8 = black_box(-128);
    println!("i8: {:?} {} {} {:?} abs_diff {}", i8v.checked_abs(), i8v.wrapping_abs(), i8v.saturating_abs(), i8v.overflowing_abs(), i8v.abs_diff(127));
    println!("unsigned_abs {} {}", i8v.unsigned_abs(), m.unsigned_abs());
    let big: u64 = black_box(u64::MAX);
    println!("u64: {:?} {} {:?} {}", big.checked_mul(2), big.wrapping_mul(big), big.overflowing_add(big), big.saturating_sub(1));
    let im: i64 = black_box(i64::MIN);
    println!("i64 MIN/-1 checked {:?} wrapping {} overflowing {:?}", im.checked_div(-1), im.wrapping_div(-1), im.overflowing_rem(-1));
    let us: usize = black_box(usize::MAX);
    println!("usize {:?} {}", us.checked_add(1), us.wrapping_add(2));
    println!("euclid: {} {} {} {}", (-7i32).div_euclid(2), (-7i32).rem_euclid(2), 7i32.div_euclid(-2), (-7i32) / 2);
    println!("rem: {} {} {}", -7 % 3, 7 % -3, (-7i32).rem_euclid(-3));
    println!("checked_div_euclid {:?} {:?}", m.checked_div_euclid(-1), 7i32.checked_rem_euclid(0));
    println!("isqrt {} ilog2 {} ilog10 {} checked_ilog2(0) {:?}", 1000u32.isqrt(), 1000u32.ilog2(), 1000u32.ilog10(), 0u32.checked_ilog2());
    println!("midpoint-ish {} next_power_of_two {} checked {:?}", (a / 2) + (a / 2 + 1) / 2, 17u32.next_power_of_two(), u32::MAX.checked_next_power_of_two());
    // manual accumulations that would overflow, done with wrapping arithmetic
    let mut h: u32 = 2166136261;
    for b in b"hello world" {
        h ^= *b as u32;
        h = h.wrapping_mul(16777619);
    }
    println!("fnv1a {:#010x}", h);
    let mut x: u64 = 88172645463325252;
    let mut acc = 0u64;
    for _ in 0..100 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc = acc.wrapping_add(x);
    }
    println!("xorshift acc {}", acc);
    let (r, o) = i32::MAX.overflowing_add(i32::MAX);
    println!("MAX+MAX = ({}, {})", r, o);
    println!("i128 checked {:?}", i128::MIN.checked_div(-1));
    println!("signum {} {} {} is_negative {}", m.signum(), 0i32.signum(), a.signum(), m.is_negative());
}
