//! Arithmetic, comparisons and casts on primitive values.

use vigil_ir::{BinOp, CastOp, FloatTy, IntTy, ScalarTy, UnOp};
pub(crate) use vigil_ir::{int_cast, int_op};

use crate::error::{Error, Res};
use crate::memory::Prov;

#[inline]
pub(crate) fn truncate(v: u128, bits: u32) -> u128 {
    if bits >= 128 { v } else { v & ((1u128 << bits) - 1) }
}

#[inline]
pub(crate) fn sign_extend(v: u128, bits: u32) -> i128 {
    if bits >= 128 {
        v as i128
    } else {
        let shift = 128 - bits;
        ((v << shift) as i128) >> shift
    }
}

fn int_min(t: IntTy) -> i128 {
    if t.signed { sign_extend(1u128 << (t.bits() - 1), t.bits()) } else { 0 }
}

fn int_max(t: IntTy) -> u128 {
    if t.signed { (1u128 << (t.bits() - 1)) - 1 } else { truncate(u128::MAX, t.bits()) }
}

/// Result of a binary operation: value, its provenance, and for `*WithOverflow` the flag.
pub(crate) struct BinResult {
    pub val: u128,
    pub prov: Prov,
    pub overflow: Option<bool>,
}

fn plain(val: u128) -> Res<BinResult> {
    Ok(BinResult { val, prov: Prov::NONE, overflow: None })
}

pub(crate) fn binop(op: BinOp, lhs: ScalarTy, rhs: ScalarTy, a: (u128, Prov), b: (u128, Prov)) -> Res<BinResult> {
    match lhs {
        ScalarTy::Int(t) => int_binop(op, t, rhs, a.0, b.0),
        ScalarTy::Bool => int_binop(op, IntTy::BOOL, rhs, a.0, b.0),
        ScalarTy::Char => int_binop(op, IntTy::U32, rhs, a.0, b.0),
        ScalarTy::Float(f) => float_binop(op, f, a.0, b.0),
        ScalarTy::Ptr => match op {
            BinOp::Offset { elem_size } => {
                let delta = (b.0 as u64 as i64).wrapping_mul(elem_size as i64);
                Ok(BinResult { val: (a.0 as u64).wrapping_add(delta as u64) as u128, prov: a.1, overflow: None })
            }
            _ => int_binop(op, IntTy::USIZE, ScalarTy::Int(IntTy::USIZE), a.0, b.0),
        },
        ScalarTy::FatPtr => {
            // Compare (address, metadata) lexicographically.
            let ka = ((a.0 as u64) as u128) << 64 | (a.0 >> 64);
            let kb = ((b.0 as u64) as u128) << 64 | (b.0 >> 64);
            cmp_op(op, ka.cmp(&kb))
        }
    }
}

fn cmp_op(op: BinOp, ord: std::cmp::Ordering) -> Res<BinResult> {
    use std::cmp::Ordering::*;
    let r = match op {
        BinOp::Eq => ord == Equal,
        BinOp::Ne => ord != Equal,
        BinOp::Lt => ord == Less,
        BinOp::Le => ord != Greater,
        BinOp::Gt => ord == Greater,
        BinOp::Ge => ord != Less,
        BinOp::Cmp => return plain(ord as i8 as u8 as u128),
        _ => return Err(Error::unsupported(format!("binary operation {op:?} on this type"))),
    };
    plain(r as u128)
}

fn int_binop(op: BinOp, t: IntTy, rhs: ScalarTy, a: u128, b: u128) -> Res<BinResult> {
    if t.size <= 8
        && let Some(r) = small_int_binop(op, t, a as u64, b as u64)
    {
        return plain(r as u128);
    }
    let bits = t.bits();
    let (sa, sb) = (sign_extend(a, bits), sign_extend(b, bits));
    let ord = if t.signed { sa.cmp(&sb) } else { a.cmp(&b) };
    let wrap = |v: u128| truncate(v, bits);
    let overflow_check = |wide: Option<i128>, wrapped: u128| -> bool {
        // `wide` is the mathematically exact result when representable in i128.
        match wide {
            Some(w) => {
                if t.signed {
                    sign_extend(wrapped, bits) != w
                } else {
                    w < 0 || (w as u128) != wrapped
                }
            }
            None => true,
        }
    };
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul => plain(wrap(match op {
            BinOp::Add => a.wrapping_add(b),
            BinOp::Sub => a.wrapping_sub(b),
            _ => a.wrapping_mul(b),
        })),
        BinOp::AddWithOverflow
        | BinOp::SubWithOverflow
        | BinOp::MulWithOverflow
        | BinOp::AddUnchecked
        | BinOp::SubUnchecked
        | BinOp::MulUnchecked => {
            let (val, overflow) = if bits == 128 {
                match (op, t.signed) {
                    (BinOp::AddWithOverflow | BinOp::AddUnchecked, false) => a.overflowing_add(b),
                    (BinOp::SubWithOverflow | BinOp::SubUnchecked, false) => a.overflowing_sub(b),
                    (_, false) => a.overflowing_mul(b),
                    (BinOp::AddWithOverflow | BinOp::AddUnchecked, true) => {
                        let (v, o) = sa.overflowing_add(sb);
                        (v as u128, o)
                    }
                    (BinOp::SubWithOverflow | BinOp::SubUnchecked, true) => {
                        let (v, o) = sa.overflowing_sub(sb);
                        (v as u128, o)
                    }
                    (_, true) => {
                        let (v, o) = sa.overflowing_mul(sb);
                        (v as u128, o)
                    }
                }
            } else {
                let (x, y) = if t.signed { (sa, sb) } else { (a as i128, b as i128) };
                let wide = match op {
                    BinOp::AddWithOverflow | BinOp::AddUnchecked => x.checked_add(y),
                    BinOp::SubWithOverflow | BinOp::SubUnchecked => x.checked_sub(y),
                    _ => x.checked_mul(y),
                };
                let wrapped = wrap(match op {
                    BinOp::AddWithOverflow | BinOp::AddUnchecked => a.wrapping_add(b),
                    BinOp::SubWithOverflow | BinOp::SubUnchecked => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                });
                (wrapped, overflow_check(wide, wrapped))
            };
            if matches!(op, BinOp::AddUnchecked | BinOp::SubUnchecked | BinOp::MulUnchecked) {
                if overflow {
                    return Err(Error::ub(format!(
                        "arithmetic overflow in `unchecked_{}`",
                        match op {
                            BinOp::AddUnchecked => "add",
                            BinOp::SubUnchecked => "sub",
                            _ => "mul",
                        }
                    )));
                }
                return plain(val);
            }
            Ok(BinResult { val, prov: Prov::NONE, overflow: Some(overflow) })
        }
        BinOp::Div | BinOp::Rem => {
            if b == 0 {
                return Err(Error::ub(if op == BinOp::Div {
                    "dividing by zero"
                } else {
                    "calculating the remainder with a divisor of zero"
                }));
            }
            if t.signed {
                if sa == int_min(t) && sb == -1 {
                    return Err(Error::ub(if op == BinOp::Div {
                        "overflow in signed division (dividing MIN by -1)"
                    } else {
                        "overflow in signed remainder (dividing MIN by -1)"
                    }));
                }
                let r = if op == BinOp::Div { sa.wrapping_div(sb) } else { sa.wrapping_rem(sb) };
                plain(wrap(r as u128))
            } else {
                plain(if op == BinOp::Div { a / b } else { a % b })
            }
        }
        BinOp::BitXor => plain(a ^ b),
        BinOp::BitAnd => plain(a & b),
        BinOp::BitOr => plain(a | b),
        BinOp::Shl | BinOp::Shr | BinOp::ShlUnchecked | BinOp::ShrUnchecked => {
            let rhs_signed = matches!(rhs, ScalarTy::Int(IntTy { signed: true, .. }));
            let rhs_bits = rhs.size() * 8;
            let amount = if rhs_signed { sign_extend(b, rhs_bits) } else { b as i128 };
            if matches!(op, BinOp::ShlUnchecked | BinOp::ShrUnchecked) && (amount < 0 || amount >= bits as i128) {
                return Err(Error::ub(format!(
                    "overflowing shift by {amount} in `unchecked_{}`",
                    if op == BinOp::ShlUnchecked { "shl" } else { "shr" }
                )));
            }
            let s = (amount as u128 % bits as u128) as u32;
            let v = if matches!(op, BinOp::Shl | BinOp::ShlUnchecked) {
                wrap(a << s)
            } else if t.signed {
                wrap((sa >> s) as u128)
            } else {
                a >> s
            };
            plain(v)
        }
        BinOp::Offset { .. } => Err(Error::unsupported("offset on an integer")),
        _ => cmp_op(op, ord),
    }
}

/// The common operations on integers of at most 64 bits, computed in 64-bit arithmetic.
#[inline]
fn small_int_binop(op: BinOp, t: IntTy, a: u64, b: u64) -> Option<u64> {
    let mask = if t.size == 8 { u64::MAX } else { (1u64 << (t.size as u32 * 8)) - 1 };
    let shift = 64 - t.size as u32 * 8;
    let signed = |v: u64| ((v << shift) as i64) >> shift;
    Some(match op {
        BinOp::Add => a.wrapping_add(b) & mask,
        BinOp::Sub => a.wrapping_sub(b) & mask,
        BinOp::Mul => a.wrapping_mul(b) & mask,
        BinOp::BitXor => a ^ b,
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::Eq => (a == b) as u64,
        BinOp::Ne => (a != b) as u64,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = if t.signed { signed(a).cmp(&signed(b)) } else { a.cmp(&b) };
            (match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::Le => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }) as u64
        }
        BinOp::Div | BinOp::Rem if b != 0 && !t.signed => {
            if op == BinOp::Div {
                a / b
            } else {
                a % b
            }
        }
        _ => return None,
    })
}

fn float_binop(op: BinOp, f: FloatTy, a: u128, b: u128) -> Res<BinResult> {
    match f {
        FloatTy::F32 => {
            let (x, y) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
            let r = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Rem => x % y,
                _ => return float_cmp(op, x.partial_cmp(&y)),
            };
            plain(r.to_bits() as u128)
        }
        FloatTy::F64 => {
            let (x, y) = (f64::from_bits(a as u64), f64::from_bits(b as u64));
            let r = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Rem => x % y,
                _ => return float_cmp(op, x.partial_cmp(&y)),
            };
            plain(r.to_bits() as u128)
        }
    }
}

fn float_cmp(op: BinOp, ord: Option<std::cmp::Ordering>) -> Res<BinResult> {
    use std::cmp::Ordering::*;
    let r = match (op, ord) {
        (BinOp::Ne, None) => true,
        (_, None) => false,
        (BinOp::Eq, Some(o)) => o == Equal,
        (BinOp::Ne, Some(o)) => o != Equal,
        (BinOp::Lt, Some(o)) => o == Less,
        (BinOp::Le, Some(o)) => o != Greater,
        (BinOp::Gt, Some(o)) => o == Greater,
        (BinOp::Ge, Some(o)) => o != Less,
        _ => return Err(Error::unsupported(format!("float operation {op:?}"))),
    };
    plain(r as u128)
}

pub(crate) fn unop(op: UnOp, ty: ScalarTy, a: u128) -> Res<u128> {
    vigil_ir::un_op(op, ty, a).ok_or_else(|| Error::unsupported(format!("unary operation {op:?} on {ty:?}")))
}

/// Numeric casts; pointer/byte casts are handled by the caller.
pub(crate) fn cast(op: CastOp, v: u128) -> u128 {
    match op {
        CastOp::IntToInt { from, to } => {
            let wide = if from.signed { sign_extend(v, from.bits()) as u128 } else { v };
            truncate(wide, to.bits())
        }
        CastOp::IntToFloat { from, to } => {
            let x = if from.signed { sign_extend(v, from.bits()) } else { 0 };
            match (to, from.signed) {
                (FloatTy::F32, true) => (x as f32).to_bits() as u128,
                (FloatTy::F32, false) => (v as f32).to_bits() as u128,
                (FloatTy::F64, true) => (x as f64).to_bits() as u128,
                (FloatTy::F64, false) => (v as f64).to_bits() as u128,
            }
        }
        CastOp::FloatToInt { from, to } => {
            let x = match from {
                FloatTy::F32 => f32::from_bits(v as u32) as f64,
                FloatTy::F64 => f64::from_bits(v as u64),
            };
            if x.is_nan() {
                return 0;
            }
            if to.signed {
                let r = x as i128;
                let r = r.clamp(int_min(to), int_max(to) as i128);
                truncate(r as u128, to.bits())
            } else {
                let r = x as u128;
                r.min(int_max(to))
            }
        }
        CastOp::FloatToFloat { from, to } => match (from, to) {
            (FloatTy::F32, FloatTy::F64) => (f32::from_bits(v as u32) as f64).to_bits() as u128,
            (FloatTy::F64, FloatTy::F32) => (f64::from_bits(v as u64) as f32).to_bits() as u128,
            _ => v,
        },
        CastOp::Bytes { .. } | CastOp::StripProvenance { .. } | CastOp::ExposeProvenance { .. } | CastOp::WithExposedProvenance { .. } => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_ir::IntOp;

    const I8: IntTy = IntTy { size: 1, signed: true };

    #[test]
    fn overflow_flags_follow_the_type() {
        let r = int_binop(BinOp::AddWithOverflow, I8, ScalarTy::Int(I8), 127, 1).unwrap();
        assert_eq!((r.val, r.overflow), (0x80, Some(true)));
        let r = int_binop(BinOp::SubWithOverflow, IntTy::U8, ScalarTy::Int(IntTy::U8), 0, 1).unwrap();
        assert_eq!((r.val, r.overflow), (0xff, Some(true)));
        let r = int_binop(BinOp::MulWithOverflow, IntTy { size: 16, signed: false }, ScalarTy::Int(IntTy::U8), u128::MAX, 2).unwrap();
        assert_eq!(r.overflow, Some(true));
    }

    #[test]
    fn signed_comparison_and_shift() {
        assert_eq!(int_binop(BinOp::Lt, I8, ScalarTy::Int(I8), 0xff, 0).unwrap().val, 1);
        assert_eq!(int_binop(BinOp::Shr, I8, ScalarTy::Int(IntTy::U32), 0x80, 1).unwrap().val, 0xc0);
        assert!(int_binop(BinOp::Div, I8, ScalarTy::Int(I8), 0x80, 0xff).is_err());
    }

    #[test]
    fn register_int_ops_agree_with_the_general_path() {
        use vigil_ir::IntOp::*;
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        for size in [1u8, 2, 4, 8] {
            for signed in [false, true] {
                let t = IntTy { size, signed };
                let mask = u64::MAX >> (64 - size as u32 * 8);
                let half = mask >> 1;
                let mut vals = vec![0, 1, 2, 3, mask, mask - 1, half, half + 1, half - 1, 7 & mask, 0x55 & mask];
                for _ in 0..24 {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    vals.push(rng & mask);
                }
                for &op in IntOp::ALL {
                    assert_eq!(IntOp::of(op.general()), Some(op));
                    for &a in &vals {
                        for &b in &vals {
                            // Division is selected only for divisors that cannot fail.
                            let minus_one = signed && b == mask;
                            if matches!(op, Div | Rem) && (b == 0 || minus_one) {
                                continue;
                            }
                            let (v, o) = int_op(op, t, a, b);
                            let r = int_binop(op.general(), t, ScalarTy::Int(t), a as u128, b as u128).unwrap();
                            assert_eq!(v as u128, r.val, "{op:?} {t:?} {a:#x} {b:#x}");
                            assert_eq!(o, r.overflow.unwrap_or(false), "{op:?} {t:?} {a:#x} {b:#x}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn register_casts_agree_with_the_general_path() {
        let tys = [1u8, 2, 4, 8].into_iter().flat_map(|size| [IntTy { size, signed: false }, IntTy { size, signed: true }]);
        let tys: Vec<IntTy> = tys.collect();
        for &from in &tys {
            let mask = u64::MAX >> (64 - from.bits());
            for v in [0u64, 1, 0x7f, 0x80, 0xff, 0x8000, 0xffff_ffff, 0x8000_0000, u64::MAX, 0x1234_5678_9abc_def0] {
                let v = v & mask;
                for &to in &tys {
                    let general = cast(CastOp::IntToInt { from, to }, v as u128);
                    assert_eq!(int_cast(from, to, v) as u128, general, "{from:?} -> {to:?} {v:#x}");
                }
            }
        }
    }

    /// A shift by a constant of another integer type (`x << 13i32`, `x >> -1i8` wraps).
    #[test]
    fn register_shifts_by_other_types_agree() {
        for t in [IntTy::U8, IntTy::I32, IntTy::USIZE, IntTy { size: 2, signed: true }] {
            for rhs in [IntTy::I32, IntTy { size: 1, signed: true }, IntTy::USIZE] {
                let rmask = u64::MAX >> (64 - rhs.bits());
                for amount in [0u64, 1, 5, 7, 8, 13, 31, 63, 64, 200, rmask, rmask - 3] {
                    for a in [0x1234_5678_9abc_def0u64, u64::MAX, 1, 0x80] {
                        let a = a & (u64::MAX >> (64 - t.bits()));
                        for op in [IntOp::Shl, IntOp::Shr] {
                            let (v, _) = int_op(op, t, a, amount & rmask);
                            let r = int_binop(op.general(), t, ScalarTy::Int(rhs), a as u128, (amount & rmask) as u128).unwrap();
                            assert_eq!(v as u128, r.val, "{op:?} {t:?} by {rhs:?} {amount}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn float_to_int_saturates() {
        let f = (-1.5f64).to_bits() as u128;
        assert_eq!(cast(CastOp::FloatToInt { from: FloatTy::F64, to: IntTy::U8 }, f), 0);
        let f = 1e10f64.to_bits() as u128;
        assert_eq!(cast(CastOp::FloatToInt { from: FloatTy::F64, to: IntTy::I32 }, f), i32::MAX as u128);
        assert_eq!(cast(CastOp::FloatToInt { from: FloatTy::F64, to: IntTy::U8 }, f64::NAN.to_bits() as u128), 0);
    }
}
