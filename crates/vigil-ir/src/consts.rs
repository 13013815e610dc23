//! Constant folding: integer operations, casts, branches and scalar validations whose
//! operands are constants, computed at lowering.
//!
//! Inlining puts a callee's body where its arguments are known: a `Range`'s step of one
//! cast to the step type, the language-UB checks std guards its preconditions with (a
//! `bool` constant negated, tested, returned and tested again), a shift by a constant
//! checked against the width. Each executed as instructions of its own; their results are
//! the same on every run.
//!
//! A forward dataflow carries "register bytes `[reg, reg + size)` hold the number `value`"
//! (at most 8 bytes, initialized, without provenance), made by constants
//! (`ConstRegImm`, a `ConstReg` without provenance), copies of known bytes, and the integer
//! operations, casts and `Not` / `Neg` of known operands (computed by `eval.rs`, as the
//! interpreter computes them). A fact ends at anything that may write one of its bytes
//! (`dataflow::may_write`). Then:
//!
//! - an operation, cast or copy of known operands becomes the constant it writes: the same
//!   bytes, initialized and without provenance, as the operation wrote;
//! - a `SwitchInt`, an `Assert` that holds, or a fused compare-and-branch of known operands
//!   becomes a `Goto` to the target it takes, a block end as the branch was (so preemption
//!   and the virtual clock count the same), the fused branch only where no instruction
//!   reads its result before overwriting it;
//! - a `ValidateScalarReg` or `ValidateInitReg` whose bytes are known and pass every check
//!   (initialization, `bool`, `char`, ranges) is removed when it clears no padding (it then
//!   writes nothing); a check that would fail stays, and reports as before.
//!
//! Nothing that can fail is folded: an `Assert` that fails, a check that does not pass and
//! every operation this pass does not know stay. The copies' removal (`copies.rs`) then
//! takes out the constants nothing reads any more.

use crate::dataflow::{Writes, add_bounded, clears_padding, may_write};
use crate::elide::int_result;
use crate::liveness::LiveWords;
use crate::{BinOp, ConstValue, Function, Inst, IntOp, IntTy, Label, Operand, ScalarTy, UnOp, VCheck, Validity};

/// Facts kept per program point, at most (the newest kept).
const MAX_FACTS: usize = 16;
/// Functions longer than this are left as they are (lowering time).
const MAX_CODE: usize = 1 << 15;

/// "Register bytes `[reg, reg + size)` hold `value`" (zero-extended; `size` at most 8),
/// initialized and without provenance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Known {
    reg: u32,
    size: u32,
    value: u64,
}

fn mask(len: u32) -> u64 {
    if len >= 8 { u64::MAX } else { (1u64 << (len * 8)) - 1 }
}

impl Known {
    /// The `len` bytes at `r` (at most 8), if inside this fact.
    fn value_at(&self, r: u32, len: u32) -> Option<u64> {
        let inside = self.reg <= r && r as u64 + len as u64 <= self.reg as u64 + self.size as u64;
        (inside && (1..=8).contains(&len)).then(|| (self.value >> ((r - self.reg) * 8)) & mask(len))
    }

    fn meets(&self, (s, e): (u64, u64)) -> bool {
        (self.reg as u64) < e && s < self.reg as u64 + self.size as u64
    }
}

/// The `len` bytes at register `r` (at most 8), if known.
fn lookup(facts: &[Known], r: u32, len: u32) -> Option<u64> {
    facts.iter().rev().find_map(|k| k.value_at(r, len))
}

/// Whether every byte of `[r, r + len)` is known.
fn all_known(facts: &[Known], r: u32, len: u32) -> bool {
    (r..r + len).all(|b| lookup(facts, b, 1).is_some())
}

/// The register a place is, if it is a plain register.
fn plain_reg(f: &Function, p: crate::PlaceId) -> Option<u32> {
    f.places.get(p as usize)?.plain_reg()
}

/// The value of `len` bytes (1 to 8) of an operand, if known.
fn operand(f: &Function, facts: &[Known], op: Operand, len: u32) -> Option<u64> {
    match op {
        Operand::Reg(r) => lookup(facts, r, len),
        Operand::Const(c) => f.consts.get(c as usize)?.int(len),
        Operand::Place(p) => lookup(facts, plain_reg(f, p)?, len),
    }
}

/// The integer type of a scalar a unary operation may be folded on.
fn unop_ty(ty: ScalarTy) -> Option<u32> {
    match ty {
        ScalarTy::Bool => Some(1),
        ScalarTy::Int(IntTy { size: size @ (1 | 2 | 4 | 8), .. }) => Some(size as u32),
        _ => None,
    }
}

/// What an integer operation of known operands writes: the value, and the overflow flag
/// after it for the `*WithOverflow` operations; with whether it overflowed.
fn int_facts(op: IntOp, ty: IntTy, dst: u32, a: u64, b: u64) -> ([Option<Known>; 2], bool) {
    let (v, overflow) = crate::int_op(op, ty, a, b);
    if op.is_comparison() {
        return ([Some(Known { reg: dst, size: 1, value: v }), None], v != 0);
    }
    let size = ty.size as u32;
    let flag = op.has_overflow_flag().then_some(Known { reg: dst + size, size: 1, value: overflow as u64 });
    ([Some(Known { reg: dst, size, value: v }), flag], overflow)
}

/// What `inst` writes that is known from `facts` (before it), and for a branch whether its
/// condition holds (a comparison's result, or an overflow).
fn computed(f: &Function, inst: &Inst, facts: &[Known]) -> Option<([Option<Known>; 2], bool)> {
    let one = |reg: u32, size: u32, value: u64| Some(([Some(Known { reg, size, value }), None], false));
    match *inst {
        Inst::ConstRegImm { dst, value, size } => one(dst, size, value),
        Inst::ConstReg { dst, src, size } => one(dst, size, f.consts.get(src as usize)?.int(size)?),
        Inst::MoveReg { dst, src, size } | Inst::InlineReturn { dst, src, size, .. } => one(dst, size, lookup(facts, src, size)?),
        Inst::IntOp { op, ty, dst, a, b } | Inst::IntOpBranch { op, ty, dst, a, b, .. } => {
            let size = ty.size as u32;
            Some(int_facts(op, ty, dst, lookup(facts, a, size)?, lookup(facts, b, size)?))
        }
        Inst::IntOpImm { op, ty, dst, a, imm } | Inst::IntOpImmBranch { op, ty, dst, a, imm, .. } => {
            Some(int_facts(op, ty, dst, lookup(facts, a, ty.size as u32)?, imm))
        }
        Inst::IntCast { from, to, dst, src } => one(dst, to.size as u32, crate::int_cast(from, to, lookup(facts, src, from.size as u32)?)),
        Inst::BinOp { op, lhs: ScalarTy::Int(ty), rhs: ScalarTy::Int(rhs), dst, a, b } => {
            let v = unchecked_op(op, ty, operand(f, facts, a, ty.size as u32)?, rhs, operand(f, facts, b, rhs.size as u32)?)?;
            one(plain_reg(f, dst)?, ty.size as u32, v)
        }
        Inst::UnOp { op: op @ (UnOp::Not | UnOp::Neg), ty, dst, a } => {
            let size = unop_ty(ty)?;
            let v = crate::un_op(op, ty, operand(f, facts, a, size)? as u128)?;
            one(plain_reg(f, dst)?, size, v as u64)
        }
        _ => None,
    }
}

/// An unchecked operation (`AddUnchecked` and its kin) of known operands, if it is not UB
/// (no overflow, a shift by less than the width): the register form's result.
fn unchecked_op(op: BinOp, ty: IntTy, a: u64, rhs: IntTy, b: u64) -> Option<u64> {
    if !matches!(ty.size, 1 | 2 | 4 | 8) {
        return None;
    }
    let checked = match op {
        BinOp::AddUnchecked => IntOp::AddWithOverflow,
        BinOp::SubUnchecked => IntOp::SubWithOverflow,
        BinOp::MulUnchecked => IntOp::MulWithOverflow,
        BinOp::ShlUnchecked | BinOp::ShrUnchecked => {
            // (The amount as a number of its own type: negative ones are UB too.)
            let amount = crate::int_cast(rhs, IntTy { size: 8, signed: rhs.signed }, b) as i64;
            if amount < 0 || amount >= ty.bits() as i64 {
                return None;
            }
            let op = if op == BinOp::ShlUnchecked { IntOp::Shl } else { IntOp::Shr };
            return Some(crate::int_op(op, ty, a, amount as u64).0);
        }
        _ => return None,
    };
    if rhs != ty {
        return None;
    }
    let (v, overflow) = crate::int_op(checked, ty, a, b);
    (!overflow).then_some(v)
}

/// The facts after `inst`, from those before it.
fn transfer(f: &Function, _pc: usize, inst: &Inst, facts: &mut Vec<Known>) {
    let made = computed(f, inst, facts);
    match may_write(f, inst) {
        Writes::None => {}
        Writes::Range(s, e) => facts.retain(|k| !k.meets((s, e))),
        Writes::All => facts.clear(),
    }
    for k in made.into_iter().flat_map(|(ks, _)| ks).flatten() {
        if (1..=8).contains(&k.size) {
            add_bounded(facts, k, MAX_FACTS);
        }
    }
}

/// Whether the register bytes at `reg`, known from `facts`, pass every check of `v`.
fn passes(facts: &[Known], reg: u32, v: &Validity) -> bool {
    v.checks.iter().all(|c| match *c {
        VCheck::Init { offset, size, .. } => all_known(facts, reg + offset, size),
        VCheck::Bool { offset } => lookup(facts, reg + offset, 1).is_some_and(|b| b <= 1),
        VCheck::Char { offset } => lookup(facts, reg + offset, 4).is_some_and(|c| char::from_u32(c as u32).is_some()),
        VCheck::Range { offset, size, start, end } => {
            lookup(facts, reg + offset, size).is_some_and(|x| crate::in_wrapping_range(x as u128, start, end))
        }
        _ => false,
    })
}

/// Constants made by the folding, numbered after the function's own.
struct NewConsts {
    first: u32,
    made: Vec<ConstValue>,
}

impl NewConsts {
    /// The constant `k` into its register: in the instruction when aligned to its size,
    /// else as a new constant.
    fn constant(&mut self, k: Known) -> Inst {
        if matches!(k.size, 1 | 2 | 4 | 8) && k.reg.is_multiple_of(k.size) {
            return Inst::ConstRegImm { dst: k.reg, value: k.value, size: k.size };
        }
        self.bytes(k.reg, &k.value.to_le_bytes()[..k.size as usize])
    }

    /// `bytes` (initialized, without provenance) into the register `dst`.
    fn bytes(&mut self, dst: u32, bytes: &[u8]) -> Inst {
        Inst::ConstReg { dst, src: self.id(bytes), size: bytes.len() as u32 }
    }

    /// A new constant of `bytes` (without provenance).
    fn id(&mut self, bytes: &[u8]) -> crate::ConstId {
        self.made.push(ConstValue { bytes: bytes.into(), prov: Box::new([]) });
        self.first + self.made.len() as u32 - 1
    }
}

/// What becomes of one instruction.
enum Fold {
    /// Replaced by this one.
    Into(Inst),
    /// A fused compare-and-branch of known operands: a `Goto` to `target` if nothing reads
    /// the bytes it writes, `[start, end)`, from there on.
    BranchTo { target: Label, writes: (u64, u64) },
    /// Removed (a check that passes and writes nothing).
    Removed,
}

/// What `inst` folds into, given the facts before it.
fn fold(f: &Function, inst: &Inst, facts: &[Known], consts: &mut NewConsts) -> Option<Fold> {
    match *inst {
        Inst::BinOp { op, lhs, rhs, dst, a, b } if computed(f, inst, facts).is_none() => {
            // Known operands of integers read as constants (what the registers held).
            let mut known = |o: Operand, t: ScalarTy| match (o, t) {
                (Operand::Reg(r), ScalarTy::Int(_) | ScalarTy::Bool | ScalarTy::Char) if t.size() <= 8 => {
                    let v = lookup(facts, r, t.size())?;
                    Some(Operand::Const(consts.id(&v.to_le_bytes()[..t.size() as usize])))
                }
                _ => None,
            };
            let (ka, kb) = (known(a, lhs), known(b, rhs));
            (ka.is_some() || kb.is_some()).then(|| Fold::Into(Inst::BinOp { op, lhs, rhs, dst, a: ka.unwrap_or(a), b: kb.unwrap_or(b) }))
        }
        Inst::MoveReg { .. }
        | Inst::IntOp { .. }
        | Inst::IntOpImm { .. }
        | Inst::IntCast { .. }
        | Inst::UnOp { .. }
        | Inst::BinOp { .. } => {
            let ([k, flag], _) = computed(f, inst, facts)?;
            let k = k?;
            Some(Fold::Into(match flag {
                // A value and its overflow flag: one constant of both.
                Some(flag) => {
                    let mut bytes = k.value.to_le_bytes()[..k.size as usize].to_vec();
                    bytes.push(flag.value as u8);
                    consts.bytes(k.reg, &bytes)
                }
                None => consts.constant(k),
            }))
        }
        Inst::IntOpBranch { op, ty, dst, if_true, if_false, .. } | Inst::IntOpImmBranch { op, ty, dst, if_true, if_false, .. } => {
            let (_, holds) = computed(f, inst, facts)?;
            let end = dst as u64 + int_result(op, ty.size as u64);
            Some(Fold::BranchTo { target: if holds { if_true } else { if_false }, writes: (dst as u64, end) })
        }
        Inst::SwitchInt { discr, ty, ref values, ref targets } => {
            let v = operand(f, facts, discr, ty.size as u32)? as u128;
            let i = values.iter().position(|&x| x == v).unwrap_or(values.len());
            Some(Fold::Into(Inst::Goto { target: *targets.get(i)? }))
        }
        Inst::Assert { cond, expected, target, .. } => {
            let holds = (operand(f, facts, cond, 1)? != 0) == expected;
            holds.then_some(Fold::Into(Inst::Goto { target }))
        }
        Inst::ValidateScalarReg { reg, ref validity } | Inst::ValidateInitReg { reg, ref validity } => {
            (!clears_padding(validity) && passes(facts, reg, validity)).then_some(Fold::Removed)
        }
        _ => None,
    }
}

/// Folds what `f` computes from constants, then removes the constants and copies nothing
/// reads any more (`copies.rs`); returns how many instructions folding changed or removed.
/// (The machine runs it between the copies' renaming and their removal,
/// `propagate_copies_and_constants`.)
pub fn fold_constants(f: &mut Function) -> usize {
    let changed = fold_without_removal(f);
    if changed > 0 {
        crate::copies::remove_unread(f);
    }
    changed
}

/// Folds what `f` computes from constants; returns how many instructions it changed or
/// removed.
pub(crate) fn fold_without_removal(f: &mut Function) -> usize {
    let has_constants = f.code.iter().any(|i| {
        matches!(
            i,
            Inst::ConstRegImm { .. }
                | Inst::ConstReg { .. }
                | Inst::SwitchInt { discr: Operand::Const(_), .. }
                | Inst::Assert { cond: Operand::Const(_), .. }
                | Inst::UnOp { a: Operand::Const(_), .. }
        )
    });
    if f.code.len() > MAX_CODE || !has_constants {
        return 0;
    }
    let mut folds: Vec<(usize, Fold)> = Vec::new();
    let mut consts = NewConsts { first: f.consts.len() as u32, made: Vec::new() };
    crate::dataflow::forward(
        f,
        |a, b| a == b,
        |_, _| None,
        transfer,
        |pc, facts| {
            if let Some(fold) = fold(f, &f.code[pc], facts, &mut consts) {
                folds.push((pc, fold));
            }
        },
    );
    f.consts.extend(consts.made);
    if folds.is_empty() {
        return 0;
    }
    // A fused branch's result may be read after it: judged on the code before any change
    // (which only reads less after it).
    let live = folds.iter().any(|(_, k)| matches!(k, Fold::BranchTo { .. })).then(|| LiveWords::of(f)).flatten();
    let mut removed = vec![false; f.code.len()];
    let mut changed = 0;
    for (pc, k) in folds {
        match k {
            Fold::Into(inst) => f.code[pc] = inst,
            Fold::BranchTo { target, writes } => {
                let Some(live) = &live else { continue };
                if !crate::copies::unread_after(f, live, &[target.0 as usize], writes) {
                    continue;
                }
                f.code[pc] = Inst::Goto { target };
            }
            Fold::Removed => removed[pc] = true,
        }
        changed += 1;
    }
    if removed.iter().any(|&r| r) {
        f.remove_code(&removed);
    }
    changed
}

#[cfg(test)]
#[path = "consts_tests.rs"]
mod tests;
