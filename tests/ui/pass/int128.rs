// i128/u128: arithmetic, multiplication overflow detection, division and remainder (signed, large divisors),
// shifts and rotates, printing in decimal/hex/binary, parsing (incl. radix and errors), conversions, leading_zeros.
use std::hint::black_box;

fn factorial(n: u32) -> u128 {
    (1..=n as u128).product()
}

fn main() {
    let a: u128 = black_box(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210);
    let b: u128 = black_box(0xffff_ffff_ffff_ffff);
    println!("a = {} = {:#x}", a, a);
    println!("b = {} = {:#b}", b, b);
    println!("a+b {} a-b {} a*3 {}", a + b, a - b, a.wrapping_mul(3));
    println!("b*b {} checked a*b {:?}", b * b, a.checked_mul(b));
    println!("a/b {} a%b {} a/7 {} a%7 {}", a / b, a % b, a / 7, a % 7);
    println!("a/(b+2) {} a%(b*b) {}", a / (b + 2), a % (b * b));
    println!("shifts {:#x} {:#x} {:#x} {:#x}", a << 4, a >> 68, 1u128 << 127, a.rotate_left(64));
    println!("max {} {:x} {:o}", u128::MAX, u128::MAX, u128::MAX);
    let s: i128 = black_box(-170141183460469231731687303715884105728);
    println!("i128 min {} max {} abs_diff {}", s, i128::MAX, s.abs_diff(0));
    let x: i128 = black_box(-123_456_789_012_345_678_901_234_567);
    let y: i128 = black_box(987_654_321_987);
    println!("x/y {} x%y {} -x/y {} x/-y {}", x / y, x % y, -x / y, x / -y);
    println!("x*y {:?} x.pow(2) {:?}", x.checked_mul(y), x.checked_pow(2));
    println!("x>>3 {} (x as u128)>>3 {:#x}", x >> 3, (x as u128) >> 3);
    println!("x hex {:x} neg hex {:#x}", x, -1i128);
    println!("30! = {}", factorial(30));
    println!("34! = {} 35! checked {:?}", factorial(34), (1..=35u128).try_fold(1u128, |acc, k| acc.checked_mul(k)));
    println!("leading_zeros {} trailing_zeros {} count_ones {}", b.leading_zeros(), (1u128 << 100).trailing_zeros(), a.count_ones());
    println!("swap_bytes {:#x}", a.swap_bytes());
    println!("to_le_bytes {:?}", 0x0102u128.to_le_bytes());
    for t in ["340282366920938463463374607431768211455", "340282366920938463463374607431768211456", "-1", "000123", "+42"] {
        println!("parse u128 {:?} -> {:?}", t, t.parse::<u128>().map_err(|e| e.to_string()));
    }
    println!("parse i128 {:?}", "-170141183460469231731687303715884105728".parse::<i128>());
    println!("from_str_radix {:?} {:?}", u128::from_str_radix("ffffffffffffffffffffffffffffffff", 16), i128::from_str_radix("-zz", 36));
    println!("casts {} {} {} {}", a as u64, a as i8, x as f64, (u128::MAX as f64));
    println!("f64 -> u128 {} {} {}", 1e30f64 as u128, -5.0f64 as u128, f64::INFINITY as u128);
    println!("from u64 {} try_from {:?} {:?}", u128::from(u64::MAX), u64::try_from(a), i128::try_from(u128::MAX));
    let mut acc: u128 = 1;
    for i in 1..=40u128 {
        acc = acc.wrapping_mul(0x9E3779B97F4A7C15F39CC0605CEDC835).wrapping_add(i);
    }
    println!("mix {:032x}", acc);
    println!("cmp {} {} {}", a > b, x < 0, (x as u128) > a);
    println!("gcd {}", {
        let (mut p, mut q) = (factorial(25), 3u128.pow(40));
        while q != 0 {
            let t = p % q;
            p = q;
            q = t;
        }
        p
    });
    println!("{:>45}|{:<+45}|", u128::MAX, i128::MIN + 1);
    println!("{:e}", u128::MAX);
}
