//! References passed straight to a callee that retags them at entry.
//!
//! `v.push(x)` reborrows `*v` two-phase (`ValidateRefReg` with `RetagMode::TwoPhase`) and
//! passes the new reference as the receiver of `Vec::push`, whose first instruction is its
//! function-entry retag of that parameter; `self.needs_to_grow(..)` does the same with a
//! shared reborrow of `*self`. When nothing but register moves and constants lies between
//! the two retags, and the reference is never read again after it is passed, its tag is
//! used for one thing only: the callee's retag derives its own tag from it. Derived from
//! the reborrow's parent instead, the callee's tag behaves the same, so the machine may
//! leave the pointer its parent's tag (`Unobserved::IntoCallee`; `retag.rs` says what it
//! still checks at run time):
//!
//! - Stacked Borrows, two-phase: the borrow makes no access and would put a
//!   `SharedReadWrite` item above its parent's. Where the parent's item is on top of every
//!   stack of the pointee (the machine checks), that item lands on top; the callee's
//!   `Unique` retag then pops exactly what it would have popped above it (nothing), and the
//!   two-phase item, whose tag no pointer holds any more, is the only difference.
//! - Stacked Borrows, shared: the reborrow reads through the parent (the machine makes that
//!   read) and pushes a `SharedReadOnly` item on top; the callee's read through it changes
//!   nothing, as the same read through the parent does, and its item goes on top either way.
//! - Tree Borrows: the reborrow is an unprotected child of the parent (`Reserved`, or
//!   `Frozen` for a shared one) that would have one child, the callee's protected tag of the
//!   same kind, and see the very accesses that child sees. Such a node never refuses an
//!   access its child would not refuse first: the protected child's permissions are never
//!   wider, and it is nearer the accessed tag. Reads through other pointers may come
//!   between the two retags: an unprotected `Reserved` or `Frozen` node ignores them. The
//!   machine still makes the reborrow's read through the parent, so that a parent that
//!   forbids it is reported there.
//!
//! A receiver the callee does not retag first (an intrinsic, a virtual call, a callee whose
//! first parameter is no reference) keeps its retag: the frontend says which callees retag
//! their receiver first (`Frontend::retags_receiver`, asked through `receiver_retagged`);
//! inlined callees show it in their code.
//!
//! Under Tree Borrows a `&mut` of its own is passed on the same way: `r.push(x)` with
//! `r: &mut Vec<_>` (a `for` loop's `&mut iter` for `next`) retags `r`, reborrows `*r`
//! two-phase and passes that on, `r` never used again. Once the two-phase reborrow is
//! marked, the callee's tag is the only child of `r`'s, an unprotected `Reserved` node just
//! like the two-phase one above it would have been: `r`'s retag is marked too
//! (`reborrowed_into_callee`), and the callee's tag derives from `r`'s parent. (Under
//! Stacked Borrows the `Unique` retag's write through the parent costs about what the retag
//! saves, and the stacks it leaves make later searches longer: measured, not worth it.)

use crate::elide::{Ranges, Shape, dead_from, effects, is_deref, ref_kind, shape, successors};
use crate::{Callee, FnId, Function, Inst, Operand, RefKind, RetagMode, Unobserved};

/// How many instructions the window between the two retags may hold.
const MAX_WINDOW: usize = 16;

/// At most this many basic blocks end between a retag marked `IntoCallee` and the callee's
/// entry retag: one per instruction of the windows (a `&mut` passed on has two, before and
/// after its two-phase reborrow) and one for the call. While other threads live, the
/// machine keeps the parent's tag only when the running thread will not be preempted
/// before that (`retag_into_callee`).
pub const INTO_CALLEE_BLOCK_ENDS: u64 = 2 * MAX_WINDOW as u64 + 2;

/// Marks every two-phase `&mut` retag and default shared retag of `f` whose reference is
/// only passed as the receiver of a callee that retags it at entry
/// (`Unobserved::IntoCallee`), and under Tree Borrows every default `&mut` retag whose
/// reference is only reborrowed two-phase by such a retag; returns how many it marked.
/// `tree_borrows`: the aliasing model is Tree Borrows, where also reads of memory (and
/// retags that only read, through other pointers) may lie between the two retags.
/// `receiver_retagged(g)`: whether function `g`, called directly, begins with the
/// function-entry retag of its first parameter, a reference. Run once the function's
/// calls are inlined.
pub fn mark_retags_into_callee(f: &mut Function, tree_borrows: bool, mut receiver_retagged: impl FnMut(FnId) -> bool) -> usize {
    let mut marked = 0;
    for pc in 0..f.code.len() {
        let Inst::ValidateRefReg { reg, validity, nullable: false, unobserved: Unobserved::No, retag } = &f.code[pc] else {
            continue;
        };
        // A two-phase `&mut` of an `Unpin` type or a shared reference, without `UnsafeCell`,
        // thin or to a slice (`ref_kind`).
        match (retag, ref_kind(validity)) {
            (RetagMode::TwoPhase, Some(RefKind::Mut { unpin: true })) | (RetagMode::Default, Some(RefKind::Shared { freeze: true })) => {}
            _ => continue,
        }
        let at = (*reg as u64, validity.size);
        if passed_into_callee(f, pc, at, tree_borrows, &mut receiver_retagged) {
            let Inst::ValidateRefReg { unobserved, .. } = &mut f.code[pc] else { unreachable!() };
            *unobserved = Unobserved::IntoCallee;
            marked += 1;
        }
    }
    if !tree_borrows {
        return marked;
    }
    // Then the `&mut`s those two-phase reborrows come from (the marks above are final).
    for pc in 0..f.code.len() {
        let Inst::ValidateRefReg { reg, validity, nullable: false, unobserved: Unobserved::No, retag: RetagMode::Default } = &f.code[pc]
        else {
            continue;
        };
        if ref_kind(validity) == Some(RefKind::Mut { unpin: true }) && reborrowed_into_callee(f, pc, (*reg as u64, validity.size)) {
            let Inst::ValidateRefReg { unobserved, .. } = &mut f.code[pc] else { unreachable!() };
            *unobserved = Unobserved::IntoCallee;
            marked += 1;
        }
    }
    marked
}

/// Whether the `&mut` in the `width` bytes at register `reg`, retagged at `pc`, is only
/// reborrowed whole (`&mut *r`), two-phase, by a retag marked `IntoCallee`, through register
/// instructions and reads of memory (Tree Borrows), and dead after that reborrow.
fn reborrowed_into_callee(f: &Function, pc: usize, (reg, width): (u64, u32)) -> bool {
    reborrowed_whole(f, pc, reg, width, Between::ReadsToo, |_, inst| {
        matches!(
            inst,
            Inst::ValidateRefReg { validity, nullable: false, unobserved: Unobserved::IntoCallee, retag: RetagMode::TwoPhase, .. }
                if validity.size == width && ref_kind(validity) == Some(RefKind::Mut { unpin: true })
        )
    })
}

/// What may lie between a reference's retag and its whole reborrow (`reborrowed_whole`)
/// besides instructions on registers alone.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Between {
    /// Reads of memory too (`reads_at_most`: under Tree Borrows the reborrow's node ignores
    /// them).
    ReadsToo,
    /// Checks of the reference with no retag, the start or end of locals' storage, and the end
    /// of the inlined callee that returns the reference; with `protectors_end`, also one whose
    /// protectors end then.
    ChecksAndReturns { protectors_end: bool },
}

/// Whether the reference in the `width` bytes at register `reg`, retagged at `pc`, is
/// reborrowed whole (`&mut *r`, `&*r`: its address and metadata into another register) by a
/// retag of that register `is_reborrow` accepts (given its index and instruction), with only
/// what `between` allows before it (and no other use of the reference), and is dead after
/// that reborrow. An inlined callee's return moves the reference into the caller's registers.
pub(crate) fn reborrowed_whole(
    f: &Function,
    pc: usize,
    reg: u64,
    width: u32,
    between: Between,
    is_reborrow: impl Fn(usize, &Inst) -> bool,
) -> bool {
    // Where the reference is.
    let mut cur = reg;
    let mut live = Ranges::one((reg, reg + width as u64));
    // The register the reborrow's address goes to, once made.
    let mut copy: Option<u64> = None;
    let mut at = pc + 1;
    let mut next = Vec::new();
    for _ in 0..MAX_WINDOW {
        let copied = copy.map(|d| Ranges::one((d, d + width as u64)));
        let extended = matches!(between, Between::ChecksAndReturns { .. });
        match f.code.get(at) {
            Some(&Inst::Ref { dst, place, fat, .. }) if copy.is_none() && fat == (width == 16) && whole_deref_of(f, place, cur) => {
                let (Shape::Reg(d), None) = shape(&f.places[dst as usize]) else { return false };
                copy = Some(d);
                at += 1;
            }
            Some(inst @ Inst::ValidateRefReg { reg: r, .. }) if copy == Some(*r as u64) => {
                return is_reborrow(at, inst) && dead_from(f, at + 1, &live);
            }
            // The reference checked, not retagged.
            Some(Inst::ValidateRefReg { reg: r, validity: v, retag: RetagMode::None, .. })
                if extended && copy.is_none() && *r as u64 == cur && v.size == width =>
            {
                at += 1;
            }
            Some(inst @ (Inst::StorageLive { .. } | Inst::StorageDead { .. })) if extended => {
                let e = effects(f, inst);
                if [Some(live), copied].iter().flatten().any(|r| r.meets(&e.reads) || r.meets(&e.writes)) {
                    return false;
                }
                at += 1;
            }
            // The inlined callee the reference is made in returns it (its registers die).
            Some(&Inst::InlineReturn { dst, src, size, target, ends, .. })
                if copy.is_none()
                    && (src as u64, size) == (cur, width)
                    && match between {
                        Between::ChecksAndReturns { protectors_end } => protectors_end || !ends.protects(),
                        Between::ReadsToo => false,
                    } =>
            {
                let Some(&body) = f.inlined_at(at as u32) else { return false };
                let Some(&Inst::InlineEnter { regs, size: frame, .. }) = f.code.get(body.call as usize) else { return false };
                if !(regs as u64 <= cur && cur + width as u64 <= (regs + frame) as u64) {
                    return false;
                }
                cur = dst as u64;
                live = Ranges::one((cur, cur + width as u64));
                at = target.0 as usize;
            }
            Some(inst) => {
                let Some(to) = window_step(f, at, inst, &[Some(live), copied], between == Between::ReadsToo, &mut next) else {
                    return false;
                };
                at = to;
            }
            None => return false,
        }
    }
    false
}

/// Where the window before the callee goes on after `inst` at `at`: the one instruction
/// after it, when it works on registers alone (or, with `reads_between`, reads memory at
/// most) and neither reads nor writes any of the `watched` register bytes; `None` else.
fn window_step(
    f: &Function,
    at: usize,
    inst: &Inst,
    watched: &[Option<Ranges>],
    reads_between: bool,
    next: &mut Vec<usize>,
) -> Option<usize> {
    if !(on_registers(inst) || reads_between && reads_at_most(f, inst)) {
        return None;
    }
    let e = effects(f, inst);
    if watched.iter().flatten().any(|r| r.meets(&e.reads) || r.meets(&e.writes)) {
        return None;
    }
    next.clear();
    successors(at, inst, next);
    (next.len() == 1).then(|| next[0])
}

/// Whether place `p` is `*r` for the reference at register `reg`, nothing more (the
/// reborrow's address and metadata are the reference's own).
fn whole_deref_of(f: &Function, p: crate::PlaceId, reg: u64) -> bool {
    let p = &f.places[p as usize];
    matches!(p.base, crate::PlaceBase::Reg(b) if b as u64 == reg) && matches!(*p.projs, [crate::Proj::Deref { .. }])
}

/// Whether `f` begins with the function-entry retag of its first parameter, a reference
/// (what `receiver_retagged` must answer for a callee, checked on its code once lowered).
pub fn retags_receiver_first(f: &Function) -> bool {
    let Some(param) = f.params.first().filter(|p| p.offset == 0 && matches!(p.size, 8 | 16)) else { return false };
    let is_ref = |v: &crate::Validity| {
        matches!(v.checks.first(), Some(crate::VCheck::Ref { offset: 0, kind: RefKind::Mut { .. } | RefKind::Shared { .. }, .. }))
    };
    match (f.unsealed_code().first(), &f.locals[param.local as usize]) {
        (Some(Inst::ValidateRefReg { reg, validity, retag, .. }), &crate::LocalSlot::Reg { off }) => {
            *reg == off && retag.is_fn_entry() && is_ref(validity)
        }
        (Some(Inst::Validate { place, validity, retag }), &crate::LocalSlot::Mem { ptr_off, .. }) => {
            let p = &f.places[*place as usize];
            matches!(p.base, crate::PlaceBase::Reg(b) if b == ptr_off)
                && matches!(*p.projs, [crate::Proj::Deref { fat: false }])
                && retag.is_fn_entry()
                && is_ref(validity)
        }
        // (A parameter in memory moved into registers, `promote.rs`.)
        (Some(Inst::Validate { place, validity, retag }), &crate::LocalSlot::Reg { off }) => {
            let p = &f.places[*place as usize];
            matches!(p.base, crate::PlaceBase::Reg(b) if b == off) && p.projs.is_empty() && retag.is_fn_entry() && is_ref(validity)
        }
        _ => false,
    }
}

/// Whether the reference in the `width` bytes at register `reg`, retagged at `pc`, reaches a
/// callee's entry retag of its receiver through register moves alone and is dead after.
fn passed_into_callee(
    f: &Function,
    pc: usize,
    (reg, width): (u64, u32),
    reads_between: bool,
    receiver_retagged: &mut impl FnMut(FnId) -> bool,
) -> bool {
    let live = Ranges::one((reg, reg + width as u64));
    let mut at = pc + 1;
    let mut next = Vec::new();
    for _ in 0..MAX_WINDOW {
        match f.code.get(at) {
            Some(inst) if let Some(to) = window_step(f, at, inst, &[Some(live)], reads_between, &mut next) => at = to,
            Some(Inst::Call { callee: Callee::Fn(g), args, dst, target, unwind, caller_location, .. }) => {
                let Some((&first, rest)) = args.split_first() else { return false };
                // The receiver is the reference; nothing else the call reads is.
                let mut reads = crate::elide::Effects::default();
                reads.write_place(f, *dst, None);
                for (op, size) in rest.iter().map(|(op, size)| (op, *size)).chain(caller_location.iter().map(|op| (op, 8))) {
                    reads.read_operand(f, op, size as u64);
                }
                return matches!(first, (Operand::Reg(r), w) if (r as u64, w) == (reg, width))
                    && !live.meets(&reads.reads)
                    && target.is_none_or(|t| dead_from(f, t.0 as usize, &live))
                    && match unwind {
                        crate::Unwind::Cleanup(l) => dead_from(f, l.0 as usize, &live),
                        _ => true,
                    }
                    && receiver_retagged(*g);
            }
            // (The callee's registers and the call id saved after them are apart from ours.)
            Some(&Inst::InlineEnter { regs, size, body, protects: true, .. })
                if !live.overlaps((regs as u64, (regs + size + 8) as u64)) =>
            {
                return inlined_receiver(f, body.0 as usize, (reg, width));
            }
            _ => return false,
        }
    }
    false
}

/// Whether `inst` moves registers or jumps, and does nothing else.
fn on_registers(inst: &Inst) -> bool {
    matches!(inst, Inst::MoveReg { .. } | Inst::ConstReg { .. } | Inst::ConstRegImm { .. } | Inst::Goto { .. })
}

/// Whether `inst` reads memory at most, through any pointer (under Tree Borrows the
/// reborrow, an unprotected `Reserved` or `Frozen` node, ignores such foreign reads):
/// register arithmetic, loads, addresses kept in registers, validations, and retags but at
/// function entry (every other Tree Borrows retag reads).
fn reads_at_most(f: &Function, inst: &Inst) -> bool {
    match inst {
        Inst::ValidateRefReg { retag, .. } => !retag.is_fn_entry(),
        // (An address stored into memory would be a write.)
        Inst::Ref { dst, .. } => !is_deref(f, *dst),
        Inst::LoadReg { .. }
        | Inst::ValidateScalarReg { .. }
        | Inst::ValidateInitReg { .. }
        | Inst::IntOp { .. }
        | Inst::IntOpImm { .. }
        | Inst::IntCast { .. } => true,
        _ => false,
    }
}

/// Whether the inlined callee whose argument moves start at `body` takes the reference in
/// the `width` bytes at register `reg` as its receiver and retags it first, the reference
/// dead from then on.
fn inlined_receiver(f: &Function, body: usize, (reg, width): (u64, u32)) -> bool {
    let live = Ranges::one((reg, reg + width as u64));
    let mut param = None;
    let mut at = body;
    // The argument moves: the reference into one parameter, nothing else from or into it.
    while let Some(inst @ (Inst::MoveReg { .. } | Inst::ConstReg { .. } | Inst::ConstRegImm { .. })) = f.code.get(at) {
        let e = effects(f, inst);
        match *inst {
            Inst::MoveReg { dst, src, size } if (src as u64, size) == (reg, width) && param.is_none() => param = Some(dst),
            _ if live.meets(&e.reads) => return false,
            _ => {}
        }
        if live.meets(&e.writes) {
            return false;
        }
        at += 1;
    }
    let Some(param) = param else { return false };
    matches!(
        f.code.get(at),
        Some(Inst::ValidateRefReg { reg: r, validity, nullable: false, retag, .. })
            if *r == param && retag.is_fn_entry() && matches!(ref_kind(validity), Some(RefKind::Mut { .. } | RefKind::Shared { .. }))
    ) && dead_from(f, at + 1, &live)
}

#[cfg(test)]
#[path = "into_callee_tests.rs"]
mod tests;
