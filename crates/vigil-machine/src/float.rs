//! Float operations with the choices IEEE 754 and Rust leave open made as the reference
//! interpreter makes them: which NaN an operation returns (`choose_nan`), which zero
//! `min`/`max` return for `+0.0` and `-0.0`, and the extra rounding error of operations
//! without guaranteed precision (libm functions, `sin`, `pow`, algebraic and fast-math
//! arithmetic), kept inside the ranges and at the exact values the C standard guarantees.
//! `-Zmiri-deterministic-floats` turns every choice off; `-Zmiri-no-extra-rounding-error`
//! and `-Zmiri-max-extra-rounding-error` set the error.
//!
//! The host computes; this module only chooses among the results the program may see. A
//! NaN result costs one test on the way out (`Machine::float_result`); the choice is made
//! on a cold path.

use vigil_ir::{FloatBinOp, FloatTy, FloatUnOp};

use crate::Machine;
use crate::arith::BinResult;
use crate::error::Res;
use crate::memory::Prov;

/// The extra rounding error of operations without guaranteed precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingError {
    /// None (`-Zmiri-no-extra-rounding-error`).
    None,
    /// Up to 4 ULP, at random (the default).
    Random,
    /// Always 4 ULP, up or down (`-Zmiri-max-extra-rounding-error`).
    Max,
}

/// How float operations choose where the language leaves a choice.
#[derive(Clone, Copy, Debug)]
pub struct FloatConfig {
    /// Choose at all (off: `-Zmiri-deterministic-floats`: the preferred NaN, the first of
    /// two equal `min`/`max` operands, no extra error).
    pub nondet: bool,
    pub rounding_error: RoundingError,
}

impl FloatConfig {
    /// Whether operations without guaranteed precision get extra error.
    pub fn extra_error(&self) -> bool {
        self.nondet && self.rounding_error != RoundingError::None
    }
}

impl Default for FloatConfig {
    fn default() -> Self {
        FloatConfig { nondet: true, rounding_error: RoundingError::Random }
    }
}

/// The most extra error, in ULP, of an operation without guaranteed precision.
const MAX_ULP_ERROR: u64 = 4;

fn sign_bit(ty: FloatTy) -> u128 {
    match ty {
        FloatTy::F32 => 1 << 31,
        FloatTy::F64 => 1 << 63,
    }
}

fn exp_mask(ty: FloatTy) -> u128 {
    match ty {
        FloatTy::F32 => 0xff << 23,
        FloatTy::F64 => 0x7ff << 52,
    }
}

/// The stored mantissa bits (the quiet bit and the payload of a NaN).
fn mant_mask(ty: FloatTy) -> u128 {
    match ty {
        FloatTy::F32 => (1 << 23) - 1,
        FloatTy::F64 => (1 << 52) - 1,
    }
}

/// The mantissa's top bit: set in a quiet NaN, clear in a signaling one.
fn quiet_bit(ty: FloatTy) -> u128 {
    match ty {
        FloatTy::F32 => 1 << 22,
        FloatTy::F64 => 1 << 51,
    }
}

/// The NaN operations return when nothing else is chosen: positive, quiet, payload 0.
fn preferred_nan(ty: FloatTy) -> u128 {
    exp_mask(ty) | quiet_bit(ty)
}

#[inline]
pub(crate) fn is_nan(ty: FloatTy, v: u128) -> bool {
    v & exp_mask(ty) == exp_mask(ty) && v & mant_mask(ty) != 0
}

fn one(ty: FloatTy) -> u128 {
    match ty {
        FloatTy::F32 => 1f32.to_bits() as u128,
        FloatTy::F64 => 1f64.to_bits() as u128,
    }
}

fn is_signaling(ty: FloatTy, v: u128) -> bool {
    is_nan(ty, v) && v & quiet_bit(ty) == 0
}

/// NaN `v` of type `from` converted to type `to` as a conversion does: quieted, with its
/// sign and the top bits of its payload.
fn convert_nan(from: FloatTy, to: FloatTy, v: u128) -> u128 {
    const SHIFT: u32 = 52 - 23;
    let mant = v & mant_mask(from);
    let mant = match (from, to) {
        (FloatTy::F32, FloatTy::F64) => mant << SHIFT,
        (FloatTy::F64, FloatTy::F32) => mant >> SHIFT,
        _ => mant,
    };
    let sign = if v & sign_bit(from) != 0 { sign_bit(to) } else { 0 };
    sign | exp_mask(to) | quiet_bit(to) | mant
}

/// The NaN an operation with result type `out` returns when its result is a NaN, given its
/// inputs of type `in_ty`: the preferred NaN, an input NaN quieted, or an input signaling
/// NaN unchanged (the choices every target allows), with either sign. `rand` draws the
/// machine's random bits.
pub(crate) fn choose_nan(out: FloatTy, in_ty: FloatTy, inputs: &[u128], rand: &mut impl FnMut() -> u64) -> u128 {
    let mut options = [0u128; 7];
    options[0] = preferred_nan(out);
    let mut n = 1;
    for &v in inputs.iter().filter(|&&v| is_nan(in_ty, v)) {
        options[n] = convert_nan(in_ty, out, v);
        n += 1;
    }
    for &v in inputs.iter().filter(|&&v| is_signaling(in_ty, v)) {
        // A payload whose only set bit was the quiet bit cannot stay signaling.
        let unchanged = convert_nan(in_ty, out, v) & !quiet_bit(out);
        if is_nan(out, unchanged) {
            options[n] = unchanged;
            n += 1;
        }
    }
    let nan = options[(rand() % n as u64) as usize];
    if rand() >> 63 == 1 { nan ^ sign_bit(out) } else { nan }
}

/// The host float types, for the arithmetic on either width.
trait Host: Copy + PartialEq + PartialOrd + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> + std::ops::Mul<Output = Self> {
    const TY: FloatTy;
    const ONE: Self;
    const TWO: Self;
    const PI: Self;
    const NAN: Self;
    fn from_raw(v: u128) -> Self;
    fn raw(self) -> u128;
    fn from_i64(v: i64) -> Self;
    fn half(self) -> Self;
    fn is_nan(self) -> bool;
    fn is_finite(self) -> bool;
    fn is_infinite(self) -> bool;
    fn is_sign_negative(self) -> bool;
    fn abs(self) -> Self;
    fn neg(self) -> Self;
    fn copysign(self, sign: Self) -> Self;
    fn next_up(self) -> Self;
    fn next_down(self) -> Self;
}

macro_rules! host {
    ($t:ty, $bits:ty, $ty:expr) => {
        impl Host for $t {
            const TY: FloatTy = $ty;
            const ONE: Self = 1.0;
            const TWO: Self = 2.0;
            const PI: Self = std::f64::consts::PI as $t;
            const NAN: Self = <$t>::NAN;
            fn from_raw(v: u128) -> Self {
                <$t>::from_bits(v as $bits)
            }
            fn raw(self) -> u128 {
                self.to_bits() as u128
            }
            fn from_i64(v: i64) -> Self {
                v as $t
            }
            fn half(self) -> Self {
                self / 2.0
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            fn is_infinite(self) -> bool {
                <$t>::is_infinite(self)
            }
            fn is_sign_negative(self) -> bool {
                <$t>::is_sign_negative(self)
            }
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            fn neg(self) -> Self {
                -self
            }
            fn copysign(self, sign: Self) -> Self {
                <$t>::copysign(self, sign)
            }
            fn next_up(self) -> Self {
                <$t>::next_up(self)
            }
            fn next_down(self) -> Self {
                <$t>::next_down(self)
            }
        }
    };
}
host!(f32, u32, FloatTy::F32);
host!(f64, u64, FloatTy::F64);

/// Runs `$body` with `$x` (and `$y`, `$z`) bound to the host floats of type `$ty` read from
/// bits, and returns the result's bits.
macro_rules! on_host {
    ($ty:expr, ($($x:ident = $v:expr),+), $body:expr) => {
        match $ty {
            FloatTy::F32 => {
                $(let $x = f32::from_bits($v as u32);)+
                ($body).to_bits() as u128
            }
            FloatTy::F64 => {
                $(let $x = f64::from_bits($v as u64);)+
                ($body).to_bits() as u128
            }
        }
    };
}
pub(crate) use on_host;

/// The value the C standard (C23 annex F.10) fixes for function `name` at `args`, where no
/// rounding error may apply (`cos(0) = 1`, `pow(1, y) = 1`, ...). `coin` decides the cases C
/// leaves to the library: a signaling NaN in `pow(1, sNaN)` and `pow(sNaN, 0)` gives 1 or
/// a NaN.
fn fixed_value<F: Host>(name: &str, args: &[F], coin: &mut impl FnMut() -> bool) -> Option<F> {
    let (one, pi) = (F::ONE, F::PI);
    let zero = |x: F| x == F::from_i64(0);
    let neg_inf = |x: F| x.is_infinite() && x.is_sign_negative();
    // (Which NaN is chosen afterwards, as for any NaN result.)
    let nan_or_one = |snan: bool, coin: &mut dyn FnMut() -> bool| if snan && coin() { F::NAN } else { one };
    let snan = |x: F| is_signaling(F::TY, x.raw());
    Some(match (name, args) {
        ("cos" | "cosh" | "exp" | "exp2", &[x]) if zero(x) => one,
        ("tanh" | "erf", &[x]) if x.is_infinite() => one.copysign(x),
        ("atan", &[x]) if x.is_infinite() => pi.half().copysign(x),
        ("erfc", &[x]) if neg_inf(x) => F::TWO,
        ("hypot", &[x, y]) if !x.is_nan() && zero(y) => x.abs(),
        // (The C argument order: `atan2(y, x)`; here `x` is the first.)
        ("atan2", &[x, y]) if zero(x) && y.is_sign_negative() && !y.is_nan() => pi.copysign(x),
        ("atan2", &[x, y]) if !zero(x) && x.is_finite() && neg_inf(y) => pi.copysign(x),
        ("atan2", &[x, y]) if !zero(x) && !x.is_nan() && zero(y) => pi.half().copysign(x),
        ("atan2", &[x, y]) if x.is_infinite() && neg_inf(y) => (pi.half().half() * F::from_i64(3)).copysign(x),
        ("atan2", &[x, y]) if x.is_infinite() && y.is_infinite() => pi.half().half().copysign(x),
        ("atan2", &[x, y]) if x.is_infinite() && y.is_finite() => pi.half().copysign(x),
        ("pow", &[b, e]) if b == one.neg() && e.is_infinite() => one,
        ("pow", &[b, e]) if b == one => nan_or_one(snan(e), coin),
        ("pow", &[b, e]) if zero(e) => nan_or_one(snan(b), coin),
        _ => return None,
    })
}

/// `v` kept inside the range C guarantees for function `name`.
fn clamp<F: Host>(name: &str, v: F) -> F {
    let (one, pi) = (F::ONE, F::PI);
    let zero = F::from_i64(0);
    let (lo, hi) = match name {
        "sin" | "cos" | "tanh" | "erf" => (one.neg(), Some(one)),
        "exp" | "exp2" => (zero, None),
        "cosh" => (one, None),
        "acos" => (zero, Some(pi)),
        "asin" | "atan2" => (pi.neg(), Some(pi)),
        "atan" => (pi.half().neg(), Some(pi.half())),
        "erfc" => (zero, Some(F::TWO)),
        _ => return v,
    };
    match hi {
        _ if v < lo => lo,
        Some(hi) if v > hi => hi,
        _ => v,
    }
}

/// `v` moved by `ulps` units in the last place (where the ULP above and below differ, at a
/// power of two, by their mean; at the largest finite values, by the one below).
fn with_ulps<F: Host>(v: F, ulps: i64) -> F {
    let (up, down) = (v.next_up() - v, v - v.next_down());
    let ulp = if up.is_infinite() {
        down
    } else if down.is_infinite() {
        up
    } else {
        (up + down).half()
    };
    v + ulp * F::from_i64(ulps)
}

/// The host's result of an exactly specified unary operation.
fn host_un(op: FloatUnOp, ty: FloatTy, v: u128) -> u128 {
    on_host!(
        ty,
        (x = v),
        match op {
            FloatUnOp::Sqrt => x.sqrt(),
            FloatUnOp::Floor => x.floor(),
            FloatUnOp::Ceil => x.ceil(),
            FloatUnOp::Trunc => x.trunc(),
            FloatUnOp::Round => x.round(),
            FloatUnOp::RoundTiesEven => x.round_ties_even(),
            FloatUnOp::Abs => x.abs(),
            FloatUnOp::Sin => x.sin(),
            FloatUnOp::Cos => x.cos(),
            FloatUnOp::Exp => x.exp(),
            FloatUnOp::Exp2 => x.exp2(),
            FloatUnOp::Ln => x.ln(),
            FloatUnOp::Log10 => x.log10(),
            FloatUnOp::Log2 => x.log2(),
        }
    )
}

/// The C name of a unary operation without guaranteed precision.
fn approx_name(op: FloatUnOp) -> Option<&'static str> {
    Some(match op {
        FloatUnOp::Sin => "sin",
        FloatUnOp::Cos => "cos",
        FloatUnOp::Exp => "exp",
        FloatUnOp::Exp2 => "exp2",
        FloatUnOp::Ln => "log",
        FloatUnOp::Log10 => "log10",
        FloatUnOp::Log2 => "log2",
        _ => return None,
    })
}

/// The host's result of a binary float operation.
pub(crate) fn host_bin(op: FloatBinOp, ty: FloatTy, a: u128, b: u128) -> u128 {
    on_host!(
        ty,
        (x = a, y = b),
        match op {
            FloatBinOp::Copysign => x.copysign(y),
            FloatBinOp::Pow => x.powf(y),
            FloatBinOp::Min => x.min(y),
            FloatBinOp::Max => x.max(y),
            FloatBinOp::Minimum => x.minimum(y),
            FloatBinOp::Maximum => x.maximum(y),
            FloatBinOp::Add => x + y,
            FloatBinOp::Sub => x - y,
            FloatBinOp::Mul => x * y,
            FloatBinOp::Div => x / y,
            FloatBinOp::Rem => x % y,
        }
    )
}

/// `a * b + c` with one rounding.
fn host_fma(ty: FloatTy, a: u128, b: u128, c: u128) -> u128 {
    on_host!(ty, (x = a, y = b, z = c), x.mul_add(y, z))
}

/// `a * b + c` with two roundings.
fn host_mul_add(ty: FloatTy, a: u128, b: u128, c: u128) -> u128 {
    on_host!(ty, (x = a, y = b, z = c), x * y + z)
}

impl Machine<'_> {
    /// The result `r` of a float operation on `inputs` as the program sees it: a NaN result
    /// is one of the NaNs the operation may return (`choose_nan`).
    #[inline]
    pub(crate) fn float_result(&mut self, ty: FloatTy, r: u128, inputs: &[u128]) -> u128 {
        if is_nan(ty, r) { self.nan_result(ty, ty, inputs) } else { r }
    }

    #[cold]
    #[inline(never)]
    fn nan_result(&mut self, out: FloatTy, in_ty: FloatTy, inputs: &[u128]) -> u128 {
        if !self.config.floats.nondet {
            return preferred_nan(out);
        }
        choose_nan(out, in_ty, inputs, &mut || self.os.nondet_u64())
    }

    /// A `BinOp` on floats: arithmetic, exact, with a NaN result chosen; or a comparison.
    #[inline(never)]
    pub(crate) fn float_binop(&mut self, op: vigil_ir::BinOp, ty: FloatTy, a: u128, b: u128) -> Res<BinResult> {
        let t = vigil_ir::ScalarTy::Float(ty);
        let mut r = crate::arith::binop(op, t, t, (a, Prov::NONE), (b, Prov::NONE))?;
        // (Comparisons give 0 or 1, never a NaN's bits.)
        r.val = self.float_result(ty, r.val, &[a, b]);
        Ok(r)
    }

    /// A coin flip for a float choice; always `false` when floats are deterministic (the
    /// first of two choices is then taken: the unfused `fmuladd`, `min`/`max`'s first
    /// operand, 1 for `pow(1, sNaN)`).
    pub(crate) fn float_coin(&mut self) -> bool {
        self.config.floats.nondet && self.os.nondet_bool()
    }

    /// A float-to-float conversion of `v`.
    pub(crate) fn float_convert(&mut self, from: FloatTy, to: FloatTy, v: u128) -> u128 {
        let r = crate::arith::cast(vigil_ir::CastOp::FloatToFloat { from, to }, v);
        if is_nan(to, r) { self.nan_result(to, from, &[v]) } else { r }
    }

    /// `v` with up to 4 ULP of extra error, unless it is zero or not finite (the error of an
    /// operation without guaranteed precision).
    pub(crate) fn rounding_error(&mut self, ty: FloatTy, v: u128) -> u128 {
        let cfg = self.config.floats;
        if !cfg.extra_error() {
            return v;
        }
        let ulps = match cfg.rounding_error {
            RoundingError::Max if self.os.nondet_bool() => MAX_ULP_ERROR as i64,
            RoundingError::Max => -(MAX_ULP_ERROR as i64),
            _ => (self.os.nondet_u64() % (2 * MAX_ULP_ERROR + 1)) as i64 - MAX_ULP_ERROR as i64,
        };
        on_host!(ty, (x = v), if x == 0.0 || !x.is_finite() { x } else { with_ulps(x, ulps) })
    }

    /// C function `name` (`sin`, `pow`, `atan2`, a libm function) at `args`, computed by
    /// `host`: the value C fixes if there is one, else the host's result with extra rounding
    /// error kept in the function's range; a NaN result chosen.
    pub(crate) fn float_approx(&mut self, ty: FloatTy, name: &str, args: &[u128], host: impl FnOnce() -> u128) -> u128 {
        let mut coin = || self.float_coin();
        // (At most two arguments.)
        let n = args.len().min(2);
        let arg = |i: usize| args.get(i).copied().unwrap_or(0);
        let fixed = match ty {
            FloatTy::F32 => fixed_value(name, &[f32::from_raw(arg(0)), f32::from_raw(arg(1))][..n], &mut coin).map(Host::raw),
            FloatTy::F64 => fixed_value(name, &[f64::from_raw(arg(0)), f64::from_raw(arg(1))][..n], &mut coin).map(Host::raw),
        };
        let r = match fixed {
            Some(v) => v,
            None => {
                let r = self.rounding_error(ty, host());
                on_host!(ty, (x = r), clamp(name, x))
            }
        };
        self.float_result(ty, r, args)
    }

    /// A unary float intrinsic (scalar or per SIMD lane).
    pub(crate) fn float_un(&mut self, op: FloatUnOp, ty: FloatTy, v: u128) -> u128 {
        match op {
            // Bitwise: the NaN stays as it is.
            FloatUnOp::Abs => v & !sign_bit(ty),
            _ => match approx_name(op) {
                Some(name) => self.float_approx(ty, name, &[v], || host_un(op, ty, v)),
                None => {
                    let r = host_un(op, ty, v);
                    self.float_result(ty, r, &[v])
                }
            },
        }
    }

    /// A binary float intrinsic (scalar or per SIMD lane).
    pub(crate) fn float_bin(&mut self, op: FloatBinOp, ty: FloatTy, a: u128, b: u128) -> u128 {
        match op {
            FloatBinOp::Copysign => (a & !sign_bit(ty)) | (b & sign_bit(ty)),
            FloatBinOp::Pow => self.float_approx(ty, "pow", &[a, b], || host_bin(op, ty, a, b)),
            FloatBinOp::Min | FloatBinOp::Max if self.float_eq(ty, a, b) => {
                // Equal operands may still be `+0.0` and `-0.0`: either is the answer.
                if self.float_coin() { b } else { a }
            }
            FloatBinOp::Min | FloatBinOp::Max | FloatBinOp::Minimum | FloatBinOp::Maximum => {
                let r = host_bin(op, ty, a, b);
                self.float_result(ty, r, &[a, b])
            }
            // The algebraic intrinsics: arithmetic the compiler may reassociate.
            FloatBinOp::Add | FloatBinOp::Sub | FloatBinOp::Mul | FloatBinOp::Div | FloatBinOp::Rem => {
                let r = host_bin(op, ty, a, b);
                let r = self.float_result(ty, r, &[a, b]);
                self.rounding_error(ty, r)
            }
        }
    }

    fn float_eq(&self, ty: FloatTy, a: u128, b: u128) -> bool {
        match ty {
            FloatTy::F32 => f32::from_raw(a) == f32::from_raw(b),
            FloatTy::F64 => f64::from_raw(a) == f64::from_raw(b),
        }
    }

    /// `a * b + c`, with one rounding (`fused`) or two.
    pub(crate) fn mul_add(&mut self, ty: FloatTy, fused: bool, a: u128, b: u128, c: u128) -> u128 {
        let r = if fused { host_fma(ty, a, b, c) } else { host_mul_add(ty, a, b, c) };
        self.float_result(ty, r, &[a, b, c])
    }

    /// `powi`: `x` to the integer power `n`.
    pub(crate) fn float_powi(&mut self, ty: FloatTy, x: u128, n: i32) -> u128 {
        let r = if n == 0 {
            // `x^0 = 1`, even for a NaN; a signaling NaN may give a NaN instead.
            let snan = is_signaling(ty, x) && self.float_coin();
            if snan { preferred_nan(ty) } else { one(ty) }
        } else {
            let r = on_host!(ty, (v = x), v.powi(n));
            self.rounding_error(ty, r)
        };
        self.float_result(ty, r, &[x])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_choices(out: FloatTy, in_ty: FloatTy, inputs: &[u128]) -> std::collections::BTreeSet<u128> {
        let mut state = 0x1234_5678u64;
        let mut rand = || crate::os::xorshift64_star(&mut state);
        (0..500).map(|_| choose_nan(out, in_ty, inputs, &mut rand)).collect()
    }

    #[test]
    fn fresh_nans_are_preferred_with_either_sign() {
        let got = all_choices(FloatTy::F32, FloatTy::F32, &[0f32.to_bits() as u128]);
        assert_eq!(got.into_iter().collect::<Vec<_>>(), vec![0x7fc0_0000, 0xffc0_0000]);
    }

    #[test]
    fn input_payloads_propagate_quieted_and_signaling_ones_may_stay() {
        let snan = 0x7f80_0001u128;
        let qnan = 0xffc0_0002u128;
        let got = all_choices(FloatTy::F32, FloatTy::F32, &[snan, qnan]);
        let want = [0x7fc0_0000, 0xffc0_0000, 0x7fc0_0001, 0xffc0_0001, 0x7f80_0001, 0xff80_0001, 0x7fc0_0002, 0xffc0_0002];
        assert_eq!(got, want.into_iter().collect());
    }

    #[test]
    fn conversions_keep_the_payloads_top_bits() {
        // f64 -> f32: the low bits go; a signaling NaN whose payload is only low bits
        // cannot stay signaling.
        let got = all_choices(FloatTy::F32, FloatTy::F64, &[0x7ff0_0000_0000_0001]);
        assert_eq!(got, [0x7fc0_0000, 0xffc0_0000].into_iter().collect());
        // f32 -> f64: zeros are added on the right.
        assert_eq!(convert_nan(FloatTy::F32, FloatTy::F64, 0x7fff_ffff), 0x7fff_ffff_e000_0000);
    }

    #[test]
    fn rounding_errors_count_in_ulps() {
        assert_eq!(with_ulps(1.5f64, 4).to_bits(), 1.5f64.to_bits() + 4);
        assert_eq!(with_ulps(1.5f32, -4).to_bits(), 1.5f32.to_bits() - 4);
        assert_eq!(with_ulps(-3.0f64, 0), -3.0);
        // At a power of two the ULP below is half the one above.
        assert!(with_ulps(1.0f64, 1) > 1.0 && with_ulps(1.0f64, -1) < 1.0);
        // Next to infinity the ULP is the one below: no NaN from `inf * 0`.
        assert_eq!(with_ulps(f64::MAX, 0), f64::MAX);
        assert_eq!(with_ulps(f32::MIN, 1).to_bits(), f32::MIN.to_bits() - 1);
    }

    #[test]
    fn fixed_values_and_ranges() {
        let mut never = || false;
        assert_eq!(fixed_value("cos", &[-0.0f64], &mut never), Some(1.0));
        assert_eq!(fixed_value("pow", &[1.0f32, f32::NAN], &mut never), Some(1.0));
        assert_eq!(fixed_value("atan2", &[0.0f64, -1.0], &mut never), Some(std::f64::consts::PI));
        assert_eq!(fixed_value("sin", &[1.0f64], &mut never), None);
        assert_eq!(clamp("sin", 1.0000001f32), 1.0);
        assert_eq!(clamp("exp", -1e-300f64), 0.0);
        assert_eq!(clamp("cosh", 0.9999f64), 1.0);
        assert!(clamp("atan", f64::NAN).is_nan());
        assert_eq!(clamp("tan", 5.0f64), 5.0);
    }
}
