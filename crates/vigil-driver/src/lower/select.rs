//! Instruction selection: once a body is lowered, the general instructions whose operands
//! turn out to be plain registers of a known integer type are replaced by their typed
//! register forms, an integer operation followed by the branch on its result is fused, and
//! an integer cast or comparison of constants becomes the constant it makes.
//!
//! Architecture Invariant: selection never changes what a program does or reports. A
//! selected form computes the same values, checks the same initialization and reports the
//! same errors at the same instruction as the general form it replaces; a fused branch stays
//! in the code after the fused instruction, so jumps to it behave as before.

use vigil_ir::{BinOp, CastOp, ConstValue, FloatTy, Function, Inst, IntOp, IntTy, Label, Operand, ScalarTy, VCheck};

/// Rewrites `func.code` in place (same length, same jump targets).
pub fn select(func: &mut Function) {
    let mut jumped_to = vec![false; func.code.len()];
    for inst in func.code.iter_mut() {
        inst.for_each_target(&mut |l| jumped_to[l.0 as usize] = true);
    }
    for i in 0..func.code.len() {
        let selected = match &func.code[i] {
            &Inst::BinOp { op, lhs: ScalarTy::Float(ty), rhs, dst, a: Operand::Reg(a), b: Operand::Reg(b) }
                if rhs == ScalarTy::Float(ty) =>
            {
                float_op(func, op, ty, dst, a, b)
            }
            &Inst::BinOp { op, lhs, rhs, dst, a: Operand::Const(a), b: Operand::Const(b) } if op.is_comparison() && lhs == rhs => {
                // A comparison of two constants (a division's check of a constant divisor)
                // is a constant `bool`.
                let ty = int_ty(lhs);
                let size = ty.map_or(0, |t| t.size as u32);
                let (x, y) = (func.consts[a as usize].int(size), func.consts[b as usize].int(size));
                match (ty, IntOp::of(op), x, y, func.places[dst as usize].plain_reg()) {
                    (Some(ty), Some(op), Some(x), Some(y), Some(dst)) => {
                        let (r, _) = vigil_ir::int_op(op, ty, x, y);
                        Some(const_reg(func, dst, &[r as u8]))
                    }
                    _ => None,
                }
            }
            &Inst::BinOp { op, lhs, rhs, dst, a, b } => {
                int_op(func, op, lhs, rhs, dst, a, b).map(|form| fuse_branch(form, func.code.get(i + 1)))
            }
            &Inst::Move { dst, src: Operand::Place(src), size } if matches!(size, 1 | 2 | 4 | 8) => {
                let dst = func.places[dst as usize].plain_reg().filter(|d| d.is_multiple_of(size));
                let through_pointer = !func.places[src as usize].projs.is_empty();
                match dst {
                    Some(dst) if through_pointer => Some(Inst::LoadReg { dst, src, size }),
                    _ => None,
                }
            }
            &Inst::Move { dst, src: Operand::Reg(src), size } if matches!(size, 1 | 2 | 4 | 8) && src.is_multiple_of(size) => {
                let through_pointer = !func.places[dst as usize].projs.is_empty();
                through_pointer.then_some(Inst::StoreReg { dst, src, size })
            }
            &Inst::Cast { op: CastOp::IntToInt { from, to }, dst, src: Operand::Const(c) } => {
                // A cast of a constant (a shift amount, say) is a constant.
                let sizes_ok = matches!(from.size, 1 | 2 | 4 | 8) && matches!(to.size, 1 | 2 | 4 | 8);
                let value = if sizes_ok { func.consts[c as usize].int(from.size as u32) } else { None };
                match (value, func.places[dst as usize].plain_reg()) {
                    (Some(v), Some(dst)) => Some(const_reg(func, dst, &vigil_ir::int_cast(from, to, v).to_le_bytes()[..to.size as usize])),
                    _ => None,
                }
            }
            &Inst::Cast { op: CastOp::IntToInt { from, to }, dst, src: Operand::Reg(src) } => {
                let sizes_ok = matches!(from.size, 1 | 2 | 4 | 8) && matches!(to.size, 1 | 2 | 4 | 8);
                let dst = func.places[dst as usize].plain_reg().filter(|d| d.is_multiple_of(to.size as u32));
                match dst {
                    Some(dst) if sizes_ok && src.is_multiple_of(from.size as u32) => Some(Inst::IntCast { from, to, dst, src }),
                    _ => None,
                }
            }
            Inst::Validate { place, validity, retag } => {
                let only_init = validity.checks.iter().all(|c| matches!(c, VCheck::Init { .. }));
                match func.places[*place as usize].plain_reg() {
                    Some(reg) if only_init => Some(Inst::ValidateInitReg { reg, validity: validity.clone() }),
                    Some(reg) if reg.is_multiple_of(8) && is_lone_ref(validity) => Some(Inst::ValidateRefReg {
                        reg,
                        validity: validity.clone(),
                        retag: *retag,
                        nullable: false,
                        unobserved: vigil_ir::Unobserved::No,
                    }),
                    Some(reg) if reg.is_multiple_of(8) && is_nullable_ref(validity) => Some(Inst::ValidateRefReg {
                        reg,
                        validity: validity.clone(),
                        retag: *retag,
                        nullable: true,
                        unobserved: vigil_ir::Unobserved::No,
                    }),
                    Some(reg) if scalars(validity).is_some() => Some(Inst::ValidateScalarReg { reg, validity: validity.clone() }),
                    Some(_) => None,
                    // A value just stored from a register through this place: its copy in
                    // memory holds the register's bytes, so they are checked there (see
                    // `stored_from`).
                    None => match stored_from(func, &jumped_to, i, *place, validity) {
                        Some(reg) if only_init => Some(Inst::ValidateInitReg { reg, validity: validity.clone() }),
                        Some(reg) => Some(Inst::ValidateScalarReg { reg, validity: validity.clone() }),
                        None => None,
                    },
                }
            }
            _ => None,
        };
        if let Some(inst) = selected {
            func.code[i] = inst;
        }
    }
}

/// Whether a validity program checks one pointer and nothing else (a reference, or a `Box`
/// with a zero-sized allocator): thin to a sized pointee, or wide with the pointee's size
/// from its metadata (slices, `str`) or its vtable, which must then be one of the trait's
/// (trait objects). What `ValidateRefReg` handles (the `UnsafeCell` ranges of a shared
/// reference's pointee go to its retag, as in `validate`).
fn is_lone_ref(v: &vigil_ir::Validity) -> bool {
    match &v.checks[..] {
        [VCheck::Ref { offset: 0, size: Some(_), unsized_layout: None, may_dangle: false, .. }] => v.size == 8,
        [VCheck::Ref { offset: 0, size: None, unsized_layout: Some(_), may_dangle: false, .. }] => v.size == 16,
        [
            VCheck::Ref { offset: 0, size: None, unsized_layout: Some(vigil_ir::DynLayout::Dyn { .. }), may_dangle: false, .. },
            VCheck::Vtable { offset: 8, .. },
        ] => v.size == 16,
        _ => false,
    }
}

/// What a validity program checks when it checks only scalars (what `ValidateScalarReg`
/// handles): initialized bytes, `bool`s, `char`s and ranges, and enums (at any offset, with
/// any tag encoding) whose variants check only those; no reference to retag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scalars {
    /// And no padding, in the value or in any variant.
    Unpadded,
    /// And padding somewhere, which a typed copy makes uninitialized.
    Padded,
}

/// `Some` when a validity program checks only scalars, saying whether it has padding.
fn scalars(v: &vigil_ir::Validity) -> Option<Scalars> {
    let mut shape = Scalars::Unpadded;
    for c in &v.checks {
        match c {
            VCheck::Init { .. } | VCheck::Bool { .. } | VCheck::Char { .. } | VCheck::Range { .. } => {}
            VCheck::Padding { .. } => shape = Scalars::Padded,
            VCheck::Enum { variants, .. } => {
                for variant in variants.iter() {
                    if scalars(variant)? == Scalars::Padded {
                        shape = Scalars::Padded;
                    }
                }
            }
            _ => return None,
        }
    }
    Some(shape)
}

/// The register whose value the instruction before `Validate` at `i` stored through its
/// `place`, when its bytes may be checked instead of the copy in memory: a `StoreReg` of the
/// whole value just before, with no jump between them, and a validity of scalars without
/// padding (padding would have to be made uninitialized in memory).
///
/// The check then reads the same bytes, initialization and provenance as the copy's would,
/// and a failure reports the same error at the same instruction. Only the copy's read is left
/// out, and it could change nothing: the store wrote those very bytes through the same
/// pointer just before (under both aliasing models a read through a tag right after its
/// write of the same bytes keeps every item and node as it is; the race detector has just
/// recorded this thread's write of them; and no other thread runs in between).
fn stored_from(func: &Function, jumped_to: &[bool], i: usize, place: vigil_ir::PlaceId, v: &vigil_ir::Validity) -> Option<u32> {
    let &Inst::StoreReg { dst, src, size } = func.code.get(i.checked_sub(1)?)? else { return None };
    (dst == place && !jumped_to[i] && size as u64 == v.size as u64 && scalars(v) == Some(Scalars::Unpadded)).then_some(src)
}

/// Whether a validity program is that of an `Option` of a thin reference (or of any enum
/// laid out alike): null is the one dataless variant, and any other value is the variant
/// holding the reference, checked by a program that `is_lone_ref`.
fn is_nullable_ref(v: &vigil_ir::Validity) -> bool {
    let [VCheck::Enum { offset: 0, info, variants }] = &v.checks[..] else { return false };
    let vigil_ir::DiscrKind::Niche { offset: 0, tag, untagged, variants_start, variants_end, niche_start: 0 } = info.kind else {
        return false;
    };
    let (none, some) = (variants.get(variants_start as usize), variants.get(untagged as usize));
    v.size == 8
        && tag.size == 8
        && variants_start == variants_end
        && variants.len() == 2
        && none.is_some_and(|none| none.checks.is_empty())
        && some.is_some_and(|some| is_lone_ref(some) && some.size == 8)
}

/// The integer type of a scalar type, if it has register forms (1, 2, 4 or 8 bytes).
fn int_ty(t: ScalarTy) -> Option<IntTy> {
    let t = match t {
        ScalarTy::Int(t) => t,
        ScalarTy::Bool => IntTy::BOOL,
        ScalarTy::Char => IntTy::U32,
        _ => return None,
    };
    matches!(t.size, 1 | 2 | 4 | 8).then_some(t)
}

/// `IntOp` or `IntOpImm` for a `BinOp` on integers in aligned registers.
fn int_op(func: &Function, op: BinOp, lhs: ScalarTy, rhs: ScalarTy, dst: u32, a: Operand, b: Operand) -> Option<Inst> {
    let (ty, rhs_ty) = (int_ty(lhs)?, int_ty(rhs)?);
    let op = IntOp::of(op)?;
    let size = ty.size as u32;
    let aligned = |r: u32| r.is_multiple_of(size);
    // A comparison writes a `bool`, which any register offset holds.
    let dst = func.places[dst as usize].plain_reg().filter(|&d| op.is_comparison() || aligned(d))?;
    let Operand::Reg(a) = a else { return None };
    if !aligned(a) {
        return None;
    }
    // Only a shift's amount may have another type (with a constant amount: the register
    // form reads both operands at the left one's width).
    let shift = matches!(op, IntOp::Shl | IntOp::Shr);
    if lhs != rhs && !(shift && matches!(b, Operand::Const(_))) {
        return None;
    }
    match b {
        Operand::Reg(b) if aligned(b) && !matches!(op, IntOp::Div | IntOp::Rem) => Some(Inst::IntOp { op, ty, dst, a, b }),
        Operand::Const(c) => {
            let imm = func.consts[c as usize].int(rhs_ty.size as u32)?;
            // Division only by a constant that makes it total: not 0, and not -1 when signed.
            let minus_one = ty.signed && imm == u64::MAX >> (64 - ty.bits());
            if matches!(op, IntOp::Div | IntOp::Rem) && (imm == 0 || minus_one) {
                return None;
            }
            Some(Inst::IntOpImm { op, ty, dst, a, imm })
        }
        _ => None,
    }
}

/// `FloatOp` for a float `BinOp` on registers aligned to the type.
fn float_op(func: &Function, op: BinOp, ty: FloatTy, dst: u32, a: u32, b: u32) -> Option<Inst> {
    if !(op.is_comparison() || matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem)) {
        return None;
    }
    let size = if ty == FloatTy::F32 { 4 } else { 8 };
    let dst = func.places[dst as usize].plain_reg().filter(|d| d.is_multiple_of(op.result_size(size)))?;
    (a.is_multiple_of(size) && b.is_multiple_of(size)).then_some(Inst::FloatOp { op, ty, dst, a, b })
}

/// `ConstReg` of `bytes` into the register `dst`, the bytes appended to the function's
/// constants (a value selection computed, with the machine's own arithmetic).
fn const_reg(func: &mut Function, dst: u32, bytes: &[u8]) -> Inst {
    func.consts.push(ConstValue { bytes: bytes.into(), prov: Box::new([]) });
    Inst::const_reg(dst, func.consts.len() as u32 - 1, bytes.len() as u32, &func.consts)
}

/// Folds the branch `next` into `form` when it branches on `form`'s result: a `SwitchInt`
/// on a comparison's `bool`, or an `Assert` on a comparison or a `*WithOverflow` flag.
fn fuse_branch(form: Inst, next: Option<&Inst>) -> Inst {
    let (op, dst, size) = match form {
        Inst::IntOp { op, ty, dst, .. } | Inst::IntOpImm { op, ty, dst, .. } => (op, dst, ty.size as u32),
        _ => return form,
    };
    let branch = match next {
        Some(&Inst::Assert { cond: Operand::Reg(r), expected, target, fail })
            if (op.has_overflow_flag() && r == dst + size) || (op.is_comparison() && r == dst) =>
        {
            // The assertion holds when the flag (or the comparison) equals `expected`.
            Some(if expected { (target, fail) } else { (fail, target) })
        }
        Some(Inst::SwitchInt { discr: Operand::Reg(r), ty, values, targets })
            if op.is_comparison() && *r == dst && ty.size == 1 && values.len() == 1 && values[0] <= 1 =>
        {
            // `targets[0]` is taken when the value equals `values[0]`.
            Some(if values[0] == 1 { (targets[0], targets[1]) } else { (targets[1], targets[0]) })
        }
        _ => None,
    };
    let Some((if_true, if_false)): Option<(Label, Label)> = branch else { return form };
    match form {
        Inst::IntOp { op, ty, dst, a, b } => Inst::IntOpBranch { op, ty, dst, a, b, if_true, if_false },
        Inst::IntOpImm { op, ty, dst, a, imm } => Inst::IntOpImmBranch { op, ty, dst, a, imm, if_true, if_false },
        other => other,
    }
}
