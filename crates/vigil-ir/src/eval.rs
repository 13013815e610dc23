//! What the register forms of integer operations and casts, and the unary operations,
//! compute, and when a scalar lies in a validity range: one definition for the interpreter,
//! which runs them, and for the lowering, which computes them ahead where their operands
//! are constants (instruction selection, `consts.rs`).

use crate::{IntOp, IntTy, ScalarTy, UnOp};

/// An integer-to-integer cast of a zero-extended value of at most 8 bytes (`IntCast`):
/// sign-extended from a signed type, then truncated to the target's width.
#[inline(always)]
pub fn int_cast(from: IntTy, to: IntTy, v: u64) -> u64 {
    let wide = if from.signed {
        let shift = 64 - from.bits();
        (((v << shift) as i64) >> shift) as u64
    } else {
        v
    };
    wide & (u64::MAX >> (64 - to.bits()))
}

/// A register-form integer operation on zero-extended values of `t` (1, 2, 4 or 8 bytes):
/// the result, zero-extended, and for the `*WithOverflow` ops whether it overflowed. Agrees
/// with the machine's general arithmetic on every input (its tests check).
#[inline(always)]
pub fn int_op(op: IntOp, t: IntTy, a: u64, b: u64) -> (u64, bool) {
    let bits = t.size as u32 * 8;
    let mask = u64::MAX >> (64 - bits);
    let sx = |v: u64| ((v << (64 - bits)) as i64) >> (64 - bits);
    let cmp = |a: u64, b: u64| if t.signed { sx(a).cmp(&sx(b)) } else { a.cmp(&b) };
    match op {
        IntOp::Add => (a.wrapping_add(b) & mask, false),
        IntOp::Sub => (a.wrapping_sub(b) & mask, false),
        IntOp::Mul => (a.wrapping_mul(b) & mask, false),
        IntOp::BitAnd => (a & b, false),
        IntOp::BitOr => (a | b, false),
        IntOp::BitXor => (a ^ b, false),
        IntOp::Shl => ((a << (b & (bits as u64 - 1))) & mask, false),
        IntOp::Shr if t.signed => ((sx(a) >> (b & (bits as u64 - 1))) as u64 & mask, false),
        IntOp::Shr => (a >> (b & (bits as u64 - 1)), false),
        // (The lowering selects these only for divisors that cannot fail.)
        IntOp::Div if t.signed => (sx(a).wrapping_div(sx(b)) as u64 & mask, false),
        IntOp::Div => (a / b, false),
        IntOp::Rem if t.signed => (sx(a).wrapping_rem(sx(b)) as u64 & mask, false),
        IntOp::Rem => (a % b, false),
        IntOp::Eq => ((a == b) as u64, false),
        IntOp::Ne => ((a != b) as u64, false),
        IntOp::Lt => (cmp(a, b).is_lt() as u64, false),
        IntOp::Le => (cmp(a, b).is_le() as u64, false),
        IntOp::Gt => (cmp(a, b).is_gt() as u64, false),
        IntOp::Ge => (cmp(a, b).is_ge() as u64, false),
        IntOp::AddWithOverflow | IntOp::SubWithOverflow | IntOp::MulWithOverflow if t.signed => {
            let (x, y) = (sx(a), sx(b));
            let (r, o) = match op {
                IntOp::AddWithOverflow => x.overflowing_add(y),
                IntOp::SubWithOverflow => x.overflowing_sub(y),
                _ => x.overflowing_mul(y),
            };
            let w = r as u64 & mask;
            // Narrower types cannot overflow i64; they overflow when the result does not
            // survive truncation.
            (w, o || sx(w) != r)
        }
        _ => {
            let (r, o) = match op {
                IntOp::AddWithOverflow => a.overflowing_add(b),
                IntOp::SubWithOverflow => a.overflowing_sub(b),
                _ => a.overflowing_mul(b),
            };
            (r & mask, o || r > mask)
        }
    }
}

/// A unary operation on a scalar's bits (`PtrMetadata` is not one: `None`, as for an
/// operation the type does not have).
pub fn un_op(op: UnOp, ty: ScalarTy, a: u128) -> Option<u128> {
    let truncate = |v: u128, bits: u32| if bits >= 128 { v } else { v & ((1u128 << bits) - 1) };
    Some(match (op, ty) {
        (UnOp::Not, ScalarTy::Bool) => a ^ 1,
        (UnOp::Not, ScalarTy::Int(t)) => truncate(!a, t.bits()),
        (UnOp::Neg, ScalarTy::Int(t)) => truncate(a.wrapping_neg(), t.bits()),
        (UnOp::Neg, ScalarTy::Float(crate::FloatTy::F32)) => a ^ (1 << 31),
        (UnOp::Neg, ScalarTy::Float(crate::FloatTy::F64)) => a ^ (1 << 63),
        _ => return None,
    })
}

/// Whether `x` lies in the wrapping range `start..=end` (`VCheck::Range`).
#[inline]
pub fn in_wrapping_range(x: u128, start: u128, end: u128) -> bool {
    if start <= end { x >= start && x <= end } else { x >= start || x <= end }
}
