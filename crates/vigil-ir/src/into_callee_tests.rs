//! Unit tests of `into_callee.rs`: which retags are marked `IntoCallee`.

use super::*;
use crate::{InlineEnd, Label, LocalSlot, Param, Place, PlaceBase, Proj, Unwind, VCheck, Validity};
use std::sync::Arc;

// Registers: r0 the return value, r8 the two-phase reference, r16 and r24 scratch, r32
// another pointer; r40.. an inlined callee's (its parameters at r40 and r48).
const REF: u32 = 8;
const OTHER: u32 = 32;
const MUT: RefKind = RefKind::Mut { unpin: true };

/// Places: p0..p4 the registers r0..r32; p5 `*r8`; p6 `*r32`.
fn func(code: Vec<Inst>) -> Function {
    let regs = [0, 8, 16, 24, 32];
    let mut places: Vec<Place> = regs.iter().map(|&off| Place::reg(off)).collect();
    let deref = |reg: u32| Place { base: PlaceBase::Reg(reg), projs: Box::new([Proj::Deref { fat: false }]), align: 8 };
    places.extend([deref(REF), deref(OTHER)]);
    Function { locals: regs.iter().map(|&off| LocalSlot::Reg { off }).collect(), places, ..Function::bare(72, code) }
}

fn retag(reg: u32, kind: RefKind, mode: RetagMode) -> Inst {
    crate::test_util::ref_retag(reg, kind, 16, mode)
}

/// A call of function 5 with `args` (8 bytes each), its result in r0, returning to `target`.
fn call(args: &[u32], target: u32) -> Inst {
    Inst::Call {
        callee: Callee::Fn(FnId(5)),
        args: args.iter().map(|&r| (Operand::Reg(r), 8)).collect(),
        dst: 0,
        ret_size: 8,
        target: Some(Label(target)),
        unwind: Unwind::Continue,
        caller_location: None,
    }
}

/// `v.push(..)`: the two-phase retag of r8, `between`, the call with `args`, the return.
fn two_phase_then(between: Inst, args: &[u32]) -> Vec<Inst> {
    vec![retag(REF, MUT, RetagMode::TwoPhase), between, call(args, 3), Inst::Return]
}

/// Which instructions are marked, the callee retagging its receiver (`retagged`) or not,
/// reads between the retags allowed (`reads`) or not.
fn marked(code: Vec<Inst>, reads: bool, retagged: bool) -> Vec<usize> {
    let mut f = func(code);
    let n = mark_retags_into_callee(&mut f, reads, |g| {
        assert_eq!(g, FnId(5));
        retagged
    });
    let marked: Vec<usize> =
        (0..f.code.len()).filter(|&i| matches!(f.code[i], Inst::ValidateRefReg { unobserved: Unobserved::IntoCallee, .. })).collect();
    assert_eq!(marked.len(), n);
    marked
}

#[test]
fn a_receiver_passed_at_once_to_a_callee_that_retags_it_is_marked() {
    // `v.push(7)`: the two-phase borrow, the argument, the call.
    let code = two_phase_then(Inst::ConstRegImm { dst: 16, value: 7, size: 8 }, &[REF, 16]);
    assert_eq!(marked(code.clone(), false, true), [0]);
    // Not when the callee does not retag its receiver first.
    assert_eq!(marked(code, false, false), Vec::<usize>::new());
}

#[test]
fn a_slice_receiver_is_passed_whole() {
    let check = VCheck::Ref {
        offset: 0,
        align: 4,
        size: None,
        is_box: false,
        kind: MUT,
        unsized_layout: Some(crate::DynLayout::Slice { header: 0, elem_size: 4, align: 4 }),
        cells: None,
        may_dangle: false,
    };
    let slice = Inst::ValidateRefReg {
        reg: REF,
        validity: Arc::new(Validity { size: 16, checks: vec![check] }),
        nullable: false,
        unobserved: Unobserved::No,
        retag: RetagMode::TwoPhase,
    };
    let call_with = |size| {
        let mut c = call(&[REF], 2);
        if let Inst::Call { args, .. } = &mut c {
            args[0].1 = size;
        }
        c
    };
    assert_eq!(marked(vec![slice.clone(), call_with(16), Inst::Return], true, true), [0]);
    // Its data pointer alone is no receiver of that slice.
    assert_eq!(marked(vec![slice.clone(), call_with(8), Inst::Return], true, true), Vec::<usize>::new());
    // Nor may the length be read elsewhere.
    let len = Inst::MoveReg { dst: 24, src: REF + 8, size: 8 };
    assert_eq!(marked(vec![slice, len, call_with(16), Inst::Return], true, true), Vec::<usize>::new());
}

#[test]
fn two_phase_unpin_muts_and_shared_reborrows_are_the_candidates() {
    // `self.len()`: a shared reborrow of `*self` passed as the receiver.
    let shared = vec![retag(REF, RefKind::Shared { freeze: true }, RetagMode::Default), call(&[REF], 2), Inst::Return];
    assert_eq!(marked(shared, false, true), [0]);
    for (kind, mode) in [
        (RefKind::Mut { unpin: false }, RetagMode::TwoPhase),
        (MUT, RetagMode::Default),
        (RefKind::Shared { freeze: true }, RetagMode::TwoPhase),
        (RefKind::Shared { freeze: true }, RetagMode::FnEntry),
        (RefKind::Shared { freeze: false }, RetagMode::Default),
        (RefKind::Raw { mutable: false, freeze: true }, RetagMode::Default),
    ] {
        let code = vec![retag(REF, kind, mode), call(&[REF], 2), Inst::Return];
        assert_eq!(marked(code, true, true), Vec::<usize>::new(), "{kind:?} {mode:?}");
    }
}

#[test]
fn the_reference_must_be_the_receiver_and_dead_after_the_call() {
    // Passed as the second argument.
    let code = vec![retag(REF, MUT, RetagMode::TwoPhase), call(&[16, REF], 2), Inst::Return];
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Not passed at all.
    let code = vec![retag(REF, MUT, RetagMode::TwoPhase), call(&[16], 2), Inst::Return];
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Passed twice.
    let code = vec![retag(REF, MUT, RetagMode::TwoPhase), call(&[REF, REF], 2), Inst::Return];
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Read after the call (its tag would be seen).
    let code = vec![retag(REF, MUT, RetagMode::TwoPhase), call(&[REF], 2), Inst::LoadReg { dst: 16, src: 5, size: 8 }, Inst::Return];
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Copied before the call.
    let code = two_phase_then(Inst::MoveReg { dst: 16, src: REF, size: 8 }, &[REF]);
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Overwritten before the call: the callee gets something else.
    let code = two_phase_then(Inst::ConstRegImm { dst: REF, value: 1, size: 8 }, &[REF]);
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    let code = two_phase_then(Inst::MoveReg { dst: REF, src: 16, size: 8 }, &[REF]);
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    let code = two_phase_then(Inst::LoadReg { dst: REF, src: 6, size: 8 }, &[REF]);
    assert_eq!(marked(code, true, true), Vec::<usize>::new());
    // Read on the way out of an unwinding call.
    let mut unwinds = call(&[REF], 2);
    if let Inst::Call { unwind, .. } = &mut unwinds {
        *unwind = Unwind::Cleanup(Label(3));
    }
    let code =
        vec![retag(REF, MUT, RetagMode::TwoPhase), unwinds, Inst::Return, Inst::LoadReg { dst: 16, src: 5, size: 8 }, Inst::UnwindResume];
    assert_eq!(marked(code.clone(), true, true), Vec::<usize>::new());
    let mut code = code;
    code[3] = Inst::LoadReg { dst: 16, src: 6, size: 8 };
    assert_eq!(marked(code, true, true), [0]);
}

#[test]
fn reads_between_the_retags_only_where_allowed_and_never_writes() {
    // `v.push(*other)`: a read through another pointer, then the call.
    let read = two_phase_then(Inst::LoadReg { dst: 16, src: 6, size: 8 }, &[REF, 16]);
    assert_eq!(marked(read.clone(), true, true), [0]);
    assert_eq!(marked(read, false, true), Vec::<usize>::new());
    // A retag of another reference reads under Tree Borrows; one at function entry is no
    // caller's code.
    let reborrow = two_phase_then(retag(OTHER, MUT, RetagMode::Default), &[REF, OTHER]);
    assert_eq!(marked(reborrow, true, true), [0]);
    let entry = two_phase_then(retag(OTHER, MUT, RetagMode::FnEntry), &[REF, OTHER]);
    assert_eq!(marked(entry, true, true), Vec::<usize>::new());
    // A write through another pointer.
    let write = two_phase_then(Inst::StoreReg { dst: 6, src: 16, size: 8 }, &[REF]);
    assert_eq!(marked(write, true, true), Vec::<usize>::new());
    // An address stored into memory is a write.
    let stored = two_phase_then(Inst::Ref { dst: 6, place: 2, fat: false, inbounds: false }, &[REF]);
    assert_eq!(marked(stored, true, true), Vec::<usize>::new());
    let kept = two_phase_then(Inst::Ref { dst: 3, place: 6, fat: false, inbounds: false }, &[REF]);
    assert_eq!(marked(kept, true, true), [0]);
    // A read through the reference itself would use its tag.
    let own = two_phase_then(Inst::LoadReg { dst: 16, src: 5, size: 8 }, &[REF, 16]);
    assert_eq!(marked(own, true, true), Vec::<usize>::new());
}

/// A caller whose call was inlined: the two-phase retag at 0, the inlined callee's argument
/// moves at 3 (the reference into its parameter r40, r16 into r48), then `first` and
/// `second` (its entry retags), and `after` before the caller's return.
fn inlined(first: Inst, second: Inst, after: Option<Inst>) -> Vec<Inst> {
    let mut code = vec![
        retag(REF, MUT, RetagMode::TwoPhase),
        Inst::InlineEnter { regs: 40, size: 16, body: Label(3), protects: true, fresh_at: 0, fresh_len: 16 },
        Inst::Return,
        Inst::MoveReg { dst: 40, src: REF, size: 8 },
        Inst::MoveReg { dst: 48, src: 16, size: 8 },
        first,
        second,
        Inst::InlineReturn { dst: 0, src: 40, size: 8, target: Label(2), ends: InlineEnd::Protectors, saved: 56 },
    ];
    if let Some(i) = after {
        code.insert(2, i);
        // (The instructions after it moved down by one.)
        code[1] = Inst::InlineEnter { regs: 40, size: 16, body: Label(4), protects: true, fresh_at: 0, fresh_len: 16 };
        code[8] = Inst::InlineReturn { dst: 0, src: 40, size: 8, target: Label(2), ends: InlineEnd::Protectors, saved: 56 };
    }
    code
}

#[test]
fn an_inlined_callee_must_retag_the_receiver_first() {
    let entry = |reg| retag(reg, MUT, RetagMode::FnEntry);
    assert_eq!(marked(inlined(entry(40), entry(48), None), false, false), [0]);
    // Its first retag is of the other parameter.
    assert_eq!(marked(inlined(entry(48), entry(40), None), true, true), Vec::<usize>::new());
    // Its first retag is no function-entry retag.
    assert_eq!(marked(inlined(retag(40, MUT, RetagMode::Default), entry(48), None), true, true), Vec::<usize>::new());
    // It gets the reference twice.
    let mut twice = inlined(entry(40), entry(48), None);
    twice[4] = Inst::MoveReg { dst: 48, src: REF, size: 8 };
    assert_eq!(marked(twice, true, true), Vec::<usize>::new());
    // It gets something else: the reference is overwritten before its move.
    let mut overwritten = inlined(entry(40), entry(48), None);
    overwritten[3] = Inst::ConstRegImm { dst: REF, value: 1, size: 8 };
    overwritten[4] = Inst::MoveReg { dst: 40, src: REF, size: 8 };
    assert_eq!(marked(overwritten, true, true), Vec::<usize>::new());
    // The caller reads the reference after the inlined call.
    let read = Inst::LoadReg { dst: 24, src: 5, size: 8 };
    assert_eq!(marked(inlined(entry(40), entry(48), Some(read)), true, true), Vec::<usize>::new());
    let other = Inst::LoadReg { dst: 24, src: 6, size: 8 };
    assert_eq!(marked(inlined(entry(40), entry(48), Some(other)), true, true), [0]);
}

#[test]
fn a_function_retags_its_receiver_first() {
    let with = |code: Vec<Inst>| Function {
        locals: vec![LocalSlot::Reg { off: 0 }, LocalSlot::Reg { off: 8 }],
        params: vec![Param { local: 1, offset: 0, size: 8 }],
        ..Function::bare(16, code)
    };
    assert!(retags_receiver_first(&with(vec![retag(8, MUT, RetagMode::FnEntry), Inst::Return])));
    assert!(retags_receiver_first(&with(vec![retag(8, MUT, RetagMode::FnEntryNoImplicitWrites), Inst::Return])));
    assert!(retags_receiver_first(&with(vec![retag(8, RefKind::Shared { freeze: true }, RetagMode::FnEntry), Inst::Return])));
    assert!(!retags_receiver_first(&with(vec![retag(8, RefKind::Raw { mutable: true, freeze: true }, RetagMode::FnEntry), Inst::Return])));
    assert!(!retags_receiver_first(&with(vec![retag(8, MUT, RetagMode::Default), Inst::Return])));
    assert!(!retags_receiver_first(&with(vec![Inst::Return])));
    // A receiver in memory: its validation through the local's pointer.
    let mut f = with(vec![Inst::Validate { place: 0, validity: mut_validity(), retag: RetagMode::FnEntry }, Inst::Return]);
    f.locals[1] = LocalSlot::Mem { ptr_off: 8, size: 8, align: 8 };
    f.places = vec![Place { base: PlaceBase::Reg(8), projs: Box::new([Proj::Deref { fat: false }]), align: 8 }];
    assert!(retags_receiver_first(&f));
}

fn mut_validity() -> Arc<Validity> {
    let Inst::ValidateRefReg { validity, .. } = retag(0, MUT, RetagMode::FnEntry) else { unreachable!() };
    validity
}

/// `r.push(7)` with `r: &mut _` in r32: `r`'s retag, `between`, `&mut *r` into r8 (by
/// `reborrow`), the two-phase retag of r8, `after`, the call and the return.
fn passed_on(between: Inst, reborrow: Inst, after: Inst) -> Vec<Inst> {
    vec![
        retag(OTHER, MUT, RetagMode::Default),
        between,
        reborrow,
        retag(REF, MUT, RetagMode::TwoPhase),
        after,
        call(&[REF], 6),
        Inst::Return,
    ]
}

/// `&mut *r32` into r8 (place p6 is `*r32`).
fn reborrow_of_other() -> Inst {
    Inst::Ref { dst: 1, place: 6, fat: false, inbounds: false }
}

/// A register instruction apart from the reference and its reborrow.
fn scratch() -> Inst {
    Inst::ConstRegImm { dst: 16, value: 0, size: 8 }
}

#[test]
fn a_mut_only_reborrowed_two_phase_into_a_callee_is_marked_under_tree_borrows() {
    // (A jump between the retag and the reborrow.)
    let code = passed_on(Inst::Goto { target: Label(2) }, reborrow_of_other(), scratch());
    assert_eq!(marked(code.clone(), true, true), [0, 3]);
    // Under Stacked Borrows the two-phase reborrow alone.
    assert_eq!(marked(code.clone(), false, true), [3]);
    // Not when the two-phase reborrow is not marked (the callee does not retag it first).
    assert_eq!(marked(code, true, false), Vec::<usize>::new());
    // A read through another pointer may come between, as before the callee's retag.
    let read = Inst::LoadReg { dst: 24, src: 5, size: 8 };
    assert_eq!(marked(passed_on(read, reborrow_of_other(), scratch()), true, true), [0, 3]);
}

#[test]
fn the_passed_on_mut_must_be_reborrowed_whole_and_used_for_nothing_else() {
    // `r` used after the call: its tag would be seen.
    let mut code = passed_on(scratch(), reborrow_of_other(), scratch());
    code.insert(6, Inst::LoadReg { dst: 24, src: 6, size: 8 });
    assert_eq!(marked(code, true, true), [3]);
    // Copied, or written through, before the reborrow.
    let copied = Inst::MoveReg { dst: 24, src: OTHER, size: 8 };
    assert_eq!(marked(passed_on(copied, reborrow_of_other(), scratch()), true, true), [3]);
    let written = Inst::StoreReg { dst: 6, src: 24, size: 8 };
    assert_eq!(marked(passed_on(written, reborrow_of_other(), scratch()), true, true), [3]);
    // A write through another pointer.
    let other = Inst::StoreReg { dst: 5, src: 24, size: 8 };
    assert_eq!(marked(passed_on(other, reborrow_of_other(), scratch()), true, true), [3]);
    // The reborrow's address overwritten before its retag: the callee gets something else.
    let mut overwritten = passed_on(scratch(), reborrow_of_other(), scratch());
    overwritten.insert(3, Inst::ConstRegImm { dst: REF, value: 1, size: 8 });
    if let Inst::Call { target, .. } = &mut overwritten[6] {
        *target = Some(Label(7));
    }
    assert_eq!(marked(overwritten, true, true), [4]);
    // The two-phase reborrow is of another reference (the reborrow of `*r` unused).
    let code =
        vec![retag(OTHER, MUT, RetagMode::Default), reborrow_of_other(), retag(24, MUT, RetagMode::TwoPhase), call(&[24], 4), Inst::Return];
    assert_eq!(marked(code, true, true), [2]);
    // A field of the pointee, not the whole (`&mut r.buf`).
    let mut field = func(passed_on(scratch(), Inst::Ref { dst: 1, place: 7, fat: false, inbounds: false }, scratch()));
    field.places.push(Place {
        base: PlaceBase::Reg(OTHER),
        projs: Box::new([Proj::Deref { fat: false }, Proj::Field { offset: 8, keep_meta: false }]),
        align: 8,
    });
    let n = mark_retags_into_callee(&mut field, true, |_| true);
    assert_eq!(n, 1);
    assert!(matches!(field.code[0], Inst::ValidateRefReg { unobserved: Unobserved::No, .. }));
}

#[test]
fn only_default_retags_of_unpin_muts_are_passed_on() {
    for (kind, mode) in [
        (MUT, RetagMode::FnEntry),
        (MUT, RetagMode::TwoPhase),
        (RefKind::Mut { unpin: false }, RetagMode::Default),
        (RefKind::Shared { freeze: true }, RetagMode::Default),
    ] {
        let mut code = passed_on(scratch(), reborrow_of_other(), scratch());
        code[0] = retag(OTHER, kind, mode);
        let marks = marked(code, true, true);
        assert!(!marks.contains(&0), "{kind:?} {mode:?}: {marks:?}");
    }
}
