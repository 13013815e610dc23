// The overflow checks debug builds make with constants: shifts by literals of other integer
// types (a cast of the amount, compared with the width), division and remainder by constant
// divisors (comparisons of two constants), and branches on comparisons asserted true or
// false. The lowering folds the constant parts; the results and panics must be native's.
use std::hint::black_box as bb;

fn shifts(x: u32, y: i64, z: i8) {
    println!("{} {} {} {}", x << 13, x >> 17u8, x << 5i64, x >> -(-3i16) as u16);
    println!("{} {} {} {}", y << 7u32, y >> 63i8, y << 1usize, y >> 2i128);
    println!("{} {} {}", z << 3u64, z >> 7i32, (z as u8) << 2u16);
}

fn divisions(a: i32, b: u16, c: i64) {
    println!("{} {} {} {}", a / 7, a % -7, a / -1i32.wrapping_neg(), a % 1000);
    println!("{} {} {}", b / 3, b % 10, b / 65535);
    println!("{} {} {}", c / -2, c % 9, c / 1);
}

fn main() {
    for &x in &[0u32, 1, 12345, u32::MAX] {
        shifts(bb(x), bb(x as i64 - 7), bb(x as i8));
    }
    for &a in &[0i32, 1, -1, 77, i32::MIN, i32::MAX] {
        divisions(bb(a), bb(a as u16), bb(a as i64 * 3));
    }
    let mut acc = 0u64;
    for i in 0..bb(40u64) {
        let v = (bb(i as u32) ^ (bb(i as u32) << 13)) % 1000;
        acc = acc.wrapping_add((v as u64) << (i % 7)) ^ ((v as u64) >> 3u8);
    }
    println!("{acc}");
    // A shift by an amount only known at run time still panics when too large.
    let r = std::panic::catch_unwind(|| bb(1u32) << bb(40u32));
    println!("{:?}", r.is_err());
    let r = std::panic::catch_unwind(|| bb(i32::MIN) / bb(-1));
    println!("{:?}", r.is_err());
}
