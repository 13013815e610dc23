// Integer operations on locals of every width and signedness (the register forms the
// lowering selects), with register and constant right operands, shifts by other integer
// types, division by constants, and the overflow checks fused with their branches.
use std::hint::black_box as bb;

macro_rules! ops {
    ($($t:ty),*) => {$(
        for &a in &[0 as $t, 1, <$t>::MAX, <$t>::MIN, bb(37) as $t, (<$t>::MAX / 3) as $t] {
            for &b in &[1 as $t, 2, <$t>::MAX, <$t>::MIN, bb(5) as $t] {
                let a = bb(a);
                let b = bb(b);
                println!(
                    "{}: {} {} | {} {} {} | {} {} {} | {} {} {} {} {} {} | {:?} {:?} {:?} | {} {}",
                    stringify!($t), a, b,
                    a.wrapping_add(b), a.wrapping_sub(b), a.wrapping_mul(b),
                    a & b, a | b, a ^ b,
                    a == b, a != b, a < b, a <= b, a > b, a >= b,
                    a.checked_add(b), a.checked_sub(b), a.checked_mul(b),
                    a.wrapping_shl(b as u32), a.wrapping_shr(b as u32),
                );
                // Constants on the right, shifts by constants of other types.
                println!("  {} {} {} {} {} {} {}", a / 7, a % 7, a / 3, a % 3, a << 3i8, a >> 1u64, a.wrapping_mul(5));
                // Plain arithmetic with overflow checks: caught as panics.
                let r = std::panic::catch_unwind(|| bb(a) + bb(b));
                println!("  add: {:?}", r.ok());
            }
        }
    )*};
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    ops!(u8, i8, u16, i16, u32, i32, u64, i64, usize, isize);
    let (c, d) = (bb('a'), bb('z'));
    println!("{} {} {}", c < d, c == d, (c as u32) + 1);
    let (t, f) = (bb(true), bb(false));
    println!("{} {} {} {}", t & f, t | f, t ^ f, t == f);
    let mut n = bb(10u32);
    let mut steps = 0;
    while n > 0 {
        n -= 1;
        steps += 1;
    }
    println!("{steps}");
}
