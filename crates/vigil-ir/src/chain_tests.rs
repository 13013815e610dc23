//! Unit tests of `chain.rs`: which `&mut` retags are marked as links of a reborrow chain.

use super::*;
use crate::{Callee, FnId, Label, LocalSlot, Operand, Place, PlaceBase, Proj, Unwind};

// Registers: r0 the return value, r8 r16 r24 the chain's references, r32 scratch, r40
// another pointer.
const OTHER: u32 = 40;
const MUT: RefKind = RefKind::Mut { unpin: true };

/// Places: p0..p5 the registers r0..r40; p6 `*r8`, p7 `*r16`, p8 `*r24`, p9 `*r40`.
fn func(code: Vec<Inst>) -> Function {
    let regs = [0, 8, 16, 24, 32, OTHER];
    let mut places: Vec<Place> = regs.iter().map(|&off| Place::reg(off)).collect();
    let deref = |reg: u32| Place { base: PlaceBase::Reg(reg), projs: Box::new([Proj::Deref { fat: false }]), align: 8 };
    places.extend([deref(8), deref(16), deref(24), deref(OTHER)]);
    Function { locals: regs.iter().map(|&off| LocalSlot::Reg { off }).collect(), places, ..Function::bare(56, code) }
}

/// The place `*rN` of the chain's register `reg` (8, 16 or 24).
fn deref_of(reg: u32) -> u32 {
    5 + reg / 8
}

fn retag_of(reg: u32, kind: RefKind, size: u32, mode: RetagMode) -> Inst {
    crate::test_util::ref_retag(reg, kind, size, mode)
}

fn retag(reg: u32) -> Inst {
    retag_of(reg, MUT, 16, RetagMode::Default)
}

/// `dst = &mut *src` (the address only).
fn reborrow(dst: u32, src: u32) -> Inst {
    Inst::Ref { dst: dst / 8, place: deref_of(src), fat: false, inbounds: false }
}

/// Which instructions are marked.
fn marked(code: Vec<Inst>) -> Vec<usize> {
    marked_under(code, false)
}

/// Which instructions are marked, under Tree Borrows (`tree`) or Stacked Borrows.
fn marked_under(code: Vec<Inst>, tree: bool) -> Vec<usize> {
    let mut f = func(code);
    let n = mark_reborrow_chains(&mut f, tree);
    let marked: Vec<usize> =
        (0..f.code.len()).filter(|&i| matches!(f.code[i], Inst::ValidateRefReg { unobserved: Unobserved::Alone, .. })).collect();
    assert_eq!(marked.len(), n);
    marked
}

/// `r8 = &mut *..; r16 = &mut *r8; r24 = &mut *r16; r0 = &mut *r24; return r0` (an accessor's
/// nested reborrows, the last one returned).
fn chain() -> Vec<Inst> {
    vec![retag(8), reborrow(16, 8), retag(16), reborrow(24, 16), retag(24), reborrow(0, 24), retag(0), Inst::Return]
}

#[test]
fn every_link_of_a_chain_ending_in_a_full_retag_is_marked() {
    // The last reborrow is returned: it keeps its retag, every one before it is a link.
    assert_eq!(marked(chain()), [0, 2, 4]);
}

#[test]
fn a_link_used_again_is_no_link() {
    // r16 read after its reborrow: it and everything before it keep their retags.
    let mut code = chain();
    code.insert(5, Inst::MoveReg { dst: 32, src: 16, size: 8 });
    assert_eq!(marked(code), [0, 4]);
    // Register moves of something else between the two retags are fine.
    let mut code = chain();
    code.insert(3, Inst::ConstRegImm { dst: 32, value: 1, size: 8 });
    assert_eq!(marked(code), [0, 2, 5]);
}

#[test]
fn no_memory_access_may_come_between_a_link_and_its_reborrow() {
    // A write through another pointer between r16's retag and its reborrow (it could
    // remove r16's item but not its parent's): r16 keeps its retag, and r8, whose reborrow
    // is then a full retag, is a link of a chain of its own.
    let mut code = chain();
    code.insert(3, Inst::StoreReg { dst: 9, src: 32, size: 8 });
    assert_eq!(marked(code), [0, 5]);
    // A call between them, too.
    let mut code = chain();
    let call = Inst::Call {
        callee: Callee::Fn(FnId(5)),
        args: vec![(Operand::Reg(32), 8)].into(),
        dst: 4,
        ret_size: 8,
        target: Some(Label(4)),
        unwind: Unwind::Continue,
        caller_location: None,
    };
    code.insert(3, call);
    assert_eq!(marked(code), [0, 5]);
}

#[test]
fn only_whole_reborrows_of_the_same_pointee_by_default_mut_retags_continue_a_chain() {
    // A reborrow of another size (a field, or a cast): not the same pointee.
    let mut code = chain();
    code[2] = retag_of(16, MUT, 8, RetagMode::Default);
    assert_eq!(marked(code), [4]);
    // A two-phase reborrow, a function-entry one, a `!Unpin` one, or a shared one of
    // interior-mutable data.
    for (kind, mode) in [
        (RefKind::Shared { freeze: false }, RetagMode::Default),
        (MUT, RetagMode::TwoPhase),
        (MUT, RetagMode::FnEntry),
        (RefKind::Mut { unpin: false }, RetagMode::Default),
    ] {
        let mut code = chain();
        code[2] = retag_of(16, kind, 16, mode);
        assert_eq!(marked(code), [4], "{kind:?} {mode:?}");
    }
    // A reborrow of something else than the whole pointee (`&mut (*r8).f` would be a field
    // place; here the other pointer's).
    let mut code = chain();
    code[1] = Inst::Ref { dst: 2, place: 9, fat: false, inbounds: false };
    assert_eq!(marked(code), [2, 4]);
}

#[test]
fn a_chain_ends_in_a_tag_of_its_own() {
    // r24's retag marked by the general analysis (no tag of its own either): r16 is no link,
    // and r8, whose reborrow r16 then keeps its retag, is a link of a chain of its own.
    let mut code = chain();
    if let Inst::ValidateRefReg { unobserved, .. } = &mut code[4] {
        *unobserved = Unobserved::BesideReads;
    }
    assert_eq!(marked(code), [0]);
}

#[test]
fn a_shared_reborrow_ends_a_chain() {
    // `&*r` of the last `&mut` (returned as a shared reference): the `&mut` is a link too.
    let mut code = chain();
    code[6] = retag_of(0, RefKind::Shared { freeze: true }, 16, RetagMode::Default);
    assert_eq!(marked(code), [0, 2, 4]);
}

#[test]
fn checks_and_other_locals_may_come_between_a_link_and_its_reborrow() {
    // The reference validated without a retag (a return value's check), and a local's
    // storage ending (local 4, r32).
    let mut code = chain();
    code.insert(5, retag_of(24, MUT, 16, RetagMode::None));
    code.insert(6, Inst::StorageDead { local: 4 });
    assert_eq!(marked(code), [0, 2, 4]);
    // The retag of another reference between them (a write through another pointer).
    let mut code = chain();
    code.insert(5, retag_of(OTHER, MUT, 16, RetagMode::Default));
    assert_eq!(marked(code), [0, 2]);
}

/// r8 retagged and reborrowed into r16; an inlined callee (registers r24..r48) reborrows
/// `*r16` into r24 and returns it into r16, where the caller reborrows it into r0, which
/// it returns; the callee's end `ends`.
fn returned_by_inlined(ends: crate::InlineEnd) -> Function {
    let code = vec![
        retag(8),
        reborrow(16, 8),
        retag(16),
        Inst::InlineEnter { regs: 24, size: 24, body: Label(7), protects: ends.protects(), fresh_at: 0, fresh_len: 24 },
        reborrow(0, 16),
        retag(0),
        Inst::Return,
        // The callee.
        reborrow(24, 16),
        retag(24),
        Inst::InlineReturn { dst: 16, src: 24, size: 8, target: Label(4), ends, saved: 48 },
    ];
    let mut f = func(code);
    f.inlined = vec![crate::Inlined { start: 7, end: 10, callee: FnId(7), call: 3 }].into_boxed_slice();
    f
}

#[test]
fn a_reference_returned_by_an_inlined_callee_goes_on_in_the_caller() {
    let marks = |mut f: Function, tree: bool| {
        mark_reborrow_chains(&mut f, tree);
        (0..f.code.len()).filter(|&i| matches!(f.code[i], Inst::ValidateRefReg { unobserved: Unobserved::Alone, .. })).collect::<Vec<_>>()
    };
    // The callee's reborrow (8) is a link of the caller's (5) under both models when the
    // callee protects nothing (r16's retag is none: the callee's start comes between).
    for tree in [false, true] {
        assert_eq!(marks(returned_by_inlined(crate::InlineEnd::Call), tree), [0, 8], "tree: {tree}");
    }
    // When its protectors end: under Stacked Borrows only (under Tree Borrows their end
    // accesses memory between the two retags).
    assert_eq!(marks(returned_by_inlined(crate::InlineEnd::Protectors), false), [0, 8]);
    assert_eq!(marks(returned_by_inlined(crate::InlineEnd::Protectors), true), [0]);
}

#[test]
fn shared_links_only_under_stacked_borrows() {
    // `&*r` reborrowed whole by `&*r` again: a chain of shared references.
    let shared = |reg| retag_of(reg, RefKind::Shared { freeze: true }, 16, RetagMode::Default);
    let code = vec![shared(8), reborrow(16, 8), shared(16), reborrow(0, 16), shared(0), Inst::Return];
    assert_eq!(marked_under(code.clone(), false), [0, 2]);
    assert_eq!(marked_under(code.clone(), true), Vec::<usize>::new());
    // A shared reference is no link of a `&mut` reborrow.
    let mut code = code;
    code[4] = retag(0);
    assert_eq!(marked_under(code, false), [0]);
}
