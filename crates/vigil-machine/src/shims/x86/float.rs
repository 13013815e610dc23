//! Float-lane x86 intrinsics (sse, sse2, sse4.1, avx): x86 `min`/`max`, comparisons with
//! immediate predicates, `comi`, conversions to integers (with the "integer indefinite"
//! value), approximate reciprocals, rounding with an immediate mode, dot products, `insertps`,
//! `vpermilvar`, and the `ptest`/`vtest` flags.

use vigil_ir::{CmpPred, FloatTy, TestFlag};

use super::lanes::{Fault, Float, Res, Rounding, check, get, mask, put, scalar, with_float};

/// x86 `min`/`max` of two lanes: the second when either is NaN, both are zeros (of any
/// sign), or they compare equal.
fn min_max<F: Float>(x: F, y: F, max: bool) -> F {
    let zeros = x == F::ZERO && y == F::ZERO;
    if zeros || x.is_nan() || y.is_nan() || (if max { x <= y } else { x >= y }) { y } else { x }
}

pub fn min_max_lanes(ty: FloatTy, max: bool, scalar: bool, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len())?;
    out.copy_from_slice(a);
    with_float!(ty, F => {
        let n = if scalar { 1 } else { out.len() / F::SIZE };
        for i in 0..n {
            min_max(F::lane(a, i), F::lane(b, i), max).put(out, i);
        }
    });
    Ok(())
}

/// `cmp` with predicate `imm`; bit 3 of the predicate (the AVX-only predicates) needs `avx`.
pub fn cmp_lanes(ty: FloatTy, scalar_only: bool, avx: bool, name: &str, args: &[&[u8]], out: &mut [u8]) -> Res<()> {
    let (a, b, imm) = (args[0], args[1], scalar(args[2]) as u8);
    check(a.len() == out.len() && b.len() == out.len())?;
    if imm & !0b1_1111 != 0 {
        return Err(Fault::Unsupported(format!("invalid predicate {imm:#x} of `{name}`")));
    }
    // What the predicate answers for greater, less, equal, unordered (bit 4: signaling or
    // quiet, which only changes floating-point exceptions).
    let (gt, lt, eq, mut unord) = match imm & 0b111 {
        0 => (false, false, true, false),
        1 => (false, true, false, false),
        2 => (false, true, true, false),
        3 => (false, false, false, true),
        4 => (true, true, false, true),
        5 => (true, false, true, true),
        6 => (true, false, false, true),
        _ => (true, true, true, false),
    };
    if imm & 0b1000 != 0 {
        if !avx {
            return Err(Fault::Ub(format!("attempted to call intrinsic `{name}` that requires missing target feature avx")));
        }
        unord = !unord;
    }
    out.copy_from_slice(a);
    with_float!(ty, F => {
        let n = if scalar_only { 1 } else { out.len() / F::SIZE };
        for i in 0..n {
            let r = match F::lane(a, i).partial_cmp(&F::lane(b, i)) {
                None => unord,
                Some(std::cmp::Ordering::Less) => lt,
                Some(std::cmp::Ordering::Equal) => eq,
                Some(std::cmp::Ordering::Greater) => gt,
            };
            put(out, F::SIZE, i, mask(r, F::SIZE));
        }
    });
    Ok(())
}

/// `comi`/`ucomi`: lane 0 of both, compared (unordered: only "not equal" holds).
pub fn comi(ty: FloatTy, pred: CmpPred, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(out.len() == 4 && a.len() >= 8 && b.len() >= 8)?;
    let r = with_float!(ty, F => {
        let (x, y) = (F::lane(a, 0), F::lane(b, 0));
        match pred {
            CmpPred::Eq => x == y,
            CmpPred::Lt => x < y,
            CmpPred::Le => x <= y,
            CmpPred::Gt => x > y,
            CmpPred::Ge => x >= y,
            CmpPred::Ne => x != y,
        }
    });
    put(out, 4, 0, r as u64);
    Ok(())
}

/// A float, rounded, as a signed integer of `bytes` bytes; NaN and values out of range give
/// the minimum ("integer indefinite").
pub fn to_int(x: f64, truncate: bool, bytes: usize) -> u64 {
    let r = if truncate { x.trunc() } else { x.round_ties_even() };
    let bound = 2f64.powi(8 * bytes as i32 - 1);
    let v = if r.is_nan() || r < -bound || r >= bound { i64::MIN >> (64 - 8 * bytes) } else { r as i64 };
    v as u64
}

/// Float lanes to integer lanes of `out_size` bytes (as many as both have; the rest zero).
pub fn float_to_int(ty: FloatTy, out_size: usize, truncate: bool, a: &[u8], out: &mut [u8]) -> Res<()> {
    with_float!(ty, F => {
        check(a.len().is_multiple_of(F::SIZE) && out.len().is_multiple_of(out_size))?;
        let n = (a.len() / F::SIZE).min(out.len() / out_size);
        out.fill(0);
        for i in 0..n {
            put(out, out_size, i, to_int(F::lane(a, i).to_f64(), truncate, out_size));
        }
    });
    Ok(())
}

/// `cvtsd2ss`: lane 0 of `b` (f64) rounded to f32 into lane 0 of `a`.
pub fn cvtsd2ss(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == 16 && b.len() == 16 && out.len() == 16)?;
    out.copy_from_slice(a);
    (f64::lane(b, 0) as f32).put(out, 0);
    Ok(())
}

/// Approximate `1/x` or `1/sqrt(x)`: the exact result with a random relative error below
/// 2^-12 (`rand` gives uniform bits), as the hardware's approximation is not specified.
pub fn approx(rsqrt: bool, scalar_only: bool, a: &[u8], out: &mut [u8], rand: &mut dyn FnMut() -> u64) -> Res<()> {
    check(a.len() == out.len() && a.len().is_multiple_of(4))?;
    out.copy_from_slice(a);
    let n = if scalar_only { 1 } else { out.len() / 4 };
    for i in 0..n {
        let x = f32::lane(a, i);
        let exact = if rsqrt { 1.0 / x.sqrt() } else { 1.0 / x };
        with_error(exact, rand).put(out, i);
    }
    Ok(())
}

/// `val * (1 + e)` with `e` uniform in (-2^-12, 2^-12) (zeros and non-finite values unchanged).
fn with_error(val: f32, rand: &mut dyn FnMut() -> u64) -> f32 {
    if val == 0.0 || !val.is_finite() {
        return val;
    }
    let r = rand();
    // 24 random bits scaled to [0, 2^-12), and a random sign.
    let mag = (r & 0xff_ffff) as f32 * 2f32.powi(-12 - 24);
    let err = if r >> 63 == 1 { -mag } else { mag };
    val + val * err
}

/// The rounding direction of a `round.*` immediate (bit 3 only masks exceptions; bit 2 says
/// "the current mode", which is always round-to-nearest).
fn rounding(imm: u64, name: &str) -> Res<Rounding> {
    match imm & !0b1000 {
        0 | 4..=7 => Ok(Rounding::NearestEven),
        1 => Ok(Rounding::Down),
        2 => Ok(Rounding::Up),
        3 => Ok(Rounding::TowardZero),
        _ => Err(Fault::Unsupported(format!("invalid rounding mode {imm:#x} of `{name}`"))),
    }
}

/// `round.ps/pd` (`(a, imm)`: every lane) and `round.ss/sd` (`(a, b, imm)`: lane 0 of `b`,
/// the other lanes of `a`).
pub fn round(ty: FloatTy, scalar_only: bool, name: &str, args: &[&[u8]], out: &mut [u8]) -> Res<()> {
    let mode = rounding(scalar(args[args.len() - 1]), name)?;
    with_float!(ty, F => {
        if scalar_only {
            check(args[0].len() == out.len() && args[1].len() == out.len())?;
            out.copy_from_slice(args[0]);
            F::lane(args[1], 0).round_mode(mode).put(out, 0);
        } else {
            check(args[0].len() == out.len())?;
            for i in 0..out.len() / F::SIZE {
                F::lane(args[0], i).round_mode(mode).put(out, i);
            }
        }
    });
    Ok(())
}

/// Conditional dot product per 128-bit chunk: the products the high immediate bits select
/// (others +0.0) are summed pairwise as the hardware does, and the sum goes to the lanes the
/// low bits select (others +0.0).
pub fn dot_product(ty: FloatTy, a: &[u8], b: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len() && out.len().is_multiple_of(16))?;
    with_float!(ty, F => {
        let per = 16 / F::SIZE;
        for c in 0..out.len() / 16 {
            let prod = |j: usize| {
                let k = c * per + j;
                if imm & (1 << (j + 4)) != 0 { F::lane(a, k) * F::lane(b, k) } else { F::ZERO }
            };
            let sum = if per == 4 { (prod(0) + prod(1)) + (prod(2) + prod(3)) } else { prod(0) + prod(1) };
            for j in 0..per {
                let v = if imm & (1 << j) != 0 { sum } else { F::ZERO };
                v.put(out, c * per + j);
            }
        }
    });
    Ok(())
}

/// `insertps`: lane `imm[7:6]` of `b` into lane `imm[5:4]` of `a`, then the lanes of
/// `imm[3:0]` zeroed.
pub fn insertps(a: &[u8], b: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(a.len() == 16 && b.len() == 16 && out.len() == 16)?;
    out.copy_from_slice(a);
    put(out, 4, ((imm >> 4) & 3) as usize, get(b, 4, ((imm >> 6) & 3) as usize));
    for i in 0..4 {
        if imm & (1 << i) != 0 {
            put(out, 4, i, 0);
        }
    }
    Ok(())
}

/// `vpermilvar`: each lane picked within its 128-bit chunk by the index lane (bits 1:0 for
/// f32 lanes, bit 1 for f64 lanes).
pub fn vpermilvar(ty: FloatTy, a: &[u8], idx: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && idx.len() == out.len() && out.len().is_multiple_of(16))?;
    let size = match ty {
        FloatTy::F32 => 4,
        FloatTy::F64 => 8,
    };
    let per = 16 / size;
    for i in 0..out.len() / size {
        let sel = get(idx, size, i) as usize;
        let j = if size == 4 { sel & 3 } else { (sel >> 1) & 1 };
        put(out, size, i, get(a, size, i / per * per + j));
    }
    Ok(())
}

/// `ptest` (all bits, `elem` 0) or `vtest` (the sign bits of `elem`-byte lanes): ZF says `a & b`
/// is zero, CF says `!a & b` is zero.
pub fn test(elem: usize, flag: TestFlag, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && a.len().is_multiple_of(8) && out.len() == 4)?;
    let (mut z, mut c) = (true, true);
    for i in 0..a.len() / 8 {
        let (x, m) = (get(a, 8, i), get(b, 8, i));
        // The sign bits of the lanes in this 64-bit word.
        let sel = match elem {
            4 => 0x8000_0000_8000_0000,
            8 => 0x8000_0000_0000_0000,
            _ => u64::MAX,
        };
        z &= x & m & sel == 0;
        c &= !x & m & sel == 0;
    }
    let r = match flag {
        TestFlag::Z => z,
        TestFlag::C => c,
        TestFlag::Nzc => !z && !c,
    };
    put(out, 4, 0, r as u64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_min_max_prefers_second_operand() {
        assert!(min_max(f32::NAN, 1.0, false) == 1.0);
        assert!(min_max(1.0, f32::NAN, false).is_nan());
        assert_eq!(min_max(0.0f32, -0.0, true).to_bits(), (-0.0f32).to_bits());
        assert_eq!(min_max(2.0f64, 3.0, true), 3.0);
    }

    #[test]
    fn conversions_saturate_to_indefinite() {
        assert_eq!(to_int(f64::NAN, false, 4) as u32, 0x8000_0000);
        assert_eq!(to_int(3e9, true, 4) as u32, 0x8000_0000);
        assert_eq!(to_int(2.5, false, 4), 2);
        assert_eq!(to_int(-2.5, true, 8) as i64, -2);
    }
}
