// Where IEEE 754 and Rust leave float results open, Vigil chooses at random, as the reference
// interpreter does, so code that relies on one answer is caught: a NaN result is the preferred
// NaN or an input NaN (quieted, or a signaling one unchanged) with either sign; `min`/`max` of
// `+0.0` and `-0.0` return either; functions without guaranteed precision (libm, `sin`, `powf`,
// algebraic and fast-math arithmetic) are off by up to 4 ULP, but stay in their range and
// exact where C fixes the value. Every assertion holds natively too; the ones about what was
// seen run only under an interpreter (`cfg(miri)`). Twin: tests/ui/pass/float_deterministic.rs.
#![feature(float_gamma, float_erf, core_intrinsics, float_minimum_maximum)]
#![allow(internal_features)]
use std::collections::BTreeSet;
use std::hint::black_box;

const QUIET: u32 = 1 << 22;
const EXP: u32 = 0xff << 23;

/// The bit patterns `f` gives over many calls.
fn outcomes(f: impl Fn() -> f32) -> BTreeSet<u32> {
    (0..200).map(|_| f().to_bits()).collect()
}

fn outcomes64(f: impl Fn() -> f64) -> BTreeSet<u64> {
    (0..200).map(|_| f().to_bits()).collect()
}

/// Whether `got` is within `n` ULP of `want`.
fn within_ulps(got: f64, want: f64, n: i64) -> bool {
    (got.to_bits() as i64 - want.to_bits() as i64).abs() <= n
}

fn nans() {
    let zero = black_box(0.0f32);
    let fresh = outcomes(|| zero / zero);
    assert!(fresh.iter().all(|&b| b & !(1 << 31) == EXP | QUIET), "a fresh NaN is the preferred NaN");
    if cfg!(miri) {
        assert_eq!(fresh.len(), 2, "with either sign");
    }

    // One NaN input: the preferred NaN or the input's payload, quieted, either sign.
    let payload = 0x2a;
    let quiet_in = f32::from_bits(EXP | QUIET | payload);
    let got = outcomes(|| black_box(1.5f32) + quiet_in);
    assert!(got.iter().all(|&b| [EXP | QUIET, EXP | QUIET | payload].contains(&(b & !(1 << 31)))));
    if cfg!(miri) {
        assert_eq!(got.len(), 4);
    }

    // A signaling input may also come out unchanged.
    let signaling = f32::from_bits(EXP | payload);
    let got = outcomes(|| black_box(2.0f32) * signaling);
    let allowed = [EXP | QUIET, EXP | QUIET | payload, EXP | payload];
    assert!(got.iter().all(|&b| allowed.contains(&(b & !(1 << 31)))));
    if cfg!(miri) {
        assert_eq!(got.len(), 6);
    }

    // Negation and `abs` and `copysign` are bitwise: the payload and signal bit stay.
    assert_eq!((-signaling).to_bits(), EXP | payload | 1 << 31);
    assert_eq!(black_box(-signaling).abs().to_bits(), EXP | payload);
    assert_eq!(signaling.copysign(-1.0).to_bits(), EXP | payload | 1 << 31);

    // Conversions keep the payload's top bits: f32 -> f64 appends zeros.
    let wide = outcomes64(|| black_box(quiet_in) as f64);
    let wide_payload = ((QUIET | payload) as u64) << 29;
    assert!(wide.iter().all(|&b| b & !(1 << 63) == 0x7ff8 << 48 || b & !(1 << 63) == 0x7ff << 52 | wide_payload));

    // Intrinsics and libm functions choose their NaN the same way.
    let nan = f32::from_bits(EXP | QUIET | 1 << 31);
    for got in [outcomes(|| black_box(nan).sqrt()), outcomes(|| black_box(nan).floor()), outcomes(|| black_box(nan).sinh())] {
        assert!(got.iter().all(|&b| b & !(1 << 31) == EXP | QUIET));
        if cfg!(miri) {
            assert_eq!(got.len(), 2);
        }
    }
}

fn zeros() {
    let (pos, neg) = (black_box(0.0f64), black_box(-0.0f64));
    let min = outcomes64(|| pos.min(neg));
    let max = outcomes64(|| neg.max(pos));
    assert!(min.iter().chain(&max).all(|&b| f64::from_bits(b) == 0.0));
    if cfg!(miri) {
        assert_eq!((min.len(), max.len()), (2, 2), "either zero");
    }
    // `minimum`/`maximum` order the zeros: one answer.
    assert_eq!(outcomes64(|| pos.minimum(neg)), BTreeSet::from([neg.to_bits()]));
}

fn rounding_error() {
    let x = black_box(0.7f64);
    let exact = 0.644217687237691; // sin(0.7), correctly rounded
    let sines = outcomes64(|| x.sin());
    assert!(sines.iter().all(|&b| within_ulps(f64::from_bits(b), exact, 5)), "at most 4 ULP off (and the host's own error)");
    let pows = outcomes64(|| black_box(1.1f64).powf(3.3));
    let sinhs = outcomes64(|| black_box(0.3f64).sinh());
    let sums = outcomes64(|| std::intrinsics::fadd_algebraic(black_box(0.1f64), 0.2));
    if cfg!(miri) {
        for (name, got) in [("sin", &sines), ("powf", &pows), ("sinh", &sinhs), ("fadd_algebraic", &sums)] {
            assert!(got.len() > 1, "{name} varies");
        }
    }

    // Values C fixes are exact, and results stay in the function's range.
    assert!(outcomes64(|| black_box(0.0f64).cos()).iter().all(|&b| b == 1f64.to_bits()));
    assert!(outcomes64(|| black_box(1.0f64).powf(black_box(f64::NAN))).iter().all(|&b| b == 1f64.to_bits()));
    assert!(outcomes64(|| black_box(-1.0f64).powf(f64::INFINITY)).iter().all(|&b| b == 1f64.to_bits()));
    assert!(outcomes64(|| black_box(f64::INFINITY).tanh()).iter().all(|&b| b == 1f64.to_bits()));
    let top = std::f64::consts::FRAC_PI_2;
    assert!(outcomes64(|| black_box(top).sin()).iter().all(|&b| f64::from_bits(b) <= 1.0));
    assert!(outcomes64(|| black_box(1e300f64).atan()).iter().all(|&b| f64::from_bits(b) <= top));

    // Fast-math's precondition is on the exact result: the extra error comes after it, so a
    // result at the edge of the range is no UB even where the error would round it up. (The
    // ULP of `f64::MAX` is the one below it: the reference interpreter takes the infinite one
    // above and answers `-inf` or a NaN here; see docs/conformance.md.)
    for _ in 0..50 {
        let big = unsafe { std::intrinsics::fmul_fast(black_box(f64::MAX), 1.0) };
        assert!(big > 1e308, "not a NaN: {big}");
    }

    // Exact operations get no error.
    assert_eq!(outcomes64(|| black_box(2.0f64).sqrt()), BTreeSet::from([2f64.sqrt().to_bits()]));
    assert_eq!(outcomes64(|| black_box(0.1f64) + 0.2), BTreeSet::from([(0.1f64 + 0.2).to_bits()]));
}

unsafe extern "C" {
    fn ldexp(x: f64, n: i32) -> f64;
    fn scalbn(x: f64, n: i32) -> f64;
}

fn more_libm() {
    // `ldexp` is exact; `erf`, `tgamma` and `lgamma` are close to their values.
    unsafe {
        assert_eq!(ldexp(black_box(0.75), 4), 12.0);
        assert_eq!(scalbn(black_box(1.0), -1074), f64::from_bits(1));
        assert!(ldexp(black_box(1.0), 2000).is_infinite());
    }
    assert!(within_ulps(black_box(0.5f64).erf(), 0.5204998778130465, 8));
    assert!(within_ulps(black_box(0.5f64).erfc(), 0.4795001221869535, 8));
    assert!(within_ulps(black_box(5.0f64).gamma(), 24.0, 8));
    let (ln, sign) = black_box(-0.5f64).ln_gamma();
    assert!(within_ulps(ln, 1.2655121234846454, 8));
    assert_eq!(sign, -1);
    let (ln32, sign32) = black_box(3.0f32).ln_gamma();
    assert!((ln32 - 2f32.ln()).abs() < 1e-6 && sign32 == 1);
}

fn main() {
    nans();
    zeros();
    rounding_error();
    more_libm();
    println!("float choices stay within what the language allows");
}
