//@ vigil-flags: -Zmiri-no-extra-rounding-error
// Intrinsics whose preconditions the program must uphold, used within them: float-to-int casts of
// values that fit, leading/trailing zero counts of non-zero values, fast-math on finite values
// (printed, so without the extra rounding error fast-math gets: tests/ui/pass/float_choices.rs).
// Twins: tests/ui/fail/intrinsic_float_to_int.rs, intrinsic_ctlz_nonzero.rs, intrinsic_fast_math.rs.
#![feature(core_intrinsics)]
#![allow(internal_features)]

use std::intrinsics::{ctlz_nonzero, cttz_nonzero, fadd_fast, fdiv_fast, float_to_int_unchecked, fmul_fast};

fn main() {
    unsafe {
        println!("{}", float_to_int_unchecked::<f64, i32>(-2147483648.9));
        println!("{}", float_to_int_unchecked::<f32, u8>(255.99));
        println!("{}", float_to_int_unchecked::<f64, i64>(-3.7));
        println!("{}", float_to_int_unchecked::<f64, u128>(1e30));
        println!("{}", float_to_int_unchecked::<f32, i8>(-0.5));
        println!("{} {}", ctlz_nonzero(1u32), cttz_nonzero(8u16));
        println!("{} {}", ctlz_nonzero(u64::MAX), cttz_nonzero(i8::MIN));
        println!("{}", fadd_fast(1.5f64, 2.25));
        println!("{}", fmul_fast(3.0f32, -0.5));
        println!("{}", fdiv_fast(1.0f64, 3.0));
    }
}
