//! Unit tests of `elide.rs`: which retags the search marks unobserved, and how.

use super::*;
use crate::{CastOp, ConstValue, IntTy, Param, SpanId, Unwind, inline_calls};

// Registers of the test functions: r0 the return value (8 bytes), r8 the reference,
// r16 and r24 scratch, r32 another pointer.
const REF: u32 = 8;
const OTHER: u32 = 32;

/// Places: p0..p4 the registers r0, r8, r16, r24, r32; p5 `*r8`; p6 `(*r8).1` (a field at
/// 8); p7 `*r32`; p8 `*r16`.
fn func(code: Vec<Inst>) -> Function {
    let regs = [0, 8, 16, 24, 32];
    let mut places: Vec<Place> = regs.iter().map(|&off| Place::reg(off)).collect();
    let deref = |reg: u32, field: Option<u32>| {
        let mut projs = vec![Proj::Deref { fat: false }];
        projs.extend(field.map(|offset| Proj::Field { offset, keep_meta: false }));
        Place { base: crate::PlaceBase::Reg(reg), projs: projs.into(), align: 8 }
    };
    places.extend([deref(REF, None), deref(REF, Some(8)), deref(OTHER, None), deref(16, None)]);
    Function {
        locals: regs.iter().map(|&off| LocalSlot::Reg { off }).collect(),
        params: vec![Param { local: 1, offset: 0, size: 8 }, Param { local: 4, offset: 0, size: 8 }],
        ret_size: 8,
        spans: (0..code.len() as u32).map(SpanId).collect(),
        places,
        consts: vec![ConstValue { bytes: Box::new([7, 0, 0, 0, 0, 0, 0, 0]), prov: Box::new([]) }],
        ..Function::bare(40, code)
    }
}

fn retag(reg: u32, kind: RefKind, retag: RetagMode) -> Inst {
    retag_of_size(reg, kind, retag, 16)
}

/// `retag` of a reference to a pointee of `size` bytes.
fn retag_of_size(reg: u32, kind: RefKind, retag: RetagMode, size: u32) -> Inst {
    crate::test_util::ref_retag(reg, kind, size, retag)
}

const SHARED: RefKind = RefKind::Shared { freeze: true };
const MUT: RefKind = RefKind::Mut { unpin: true };

fn load(dst: u32, src: PlaceId) -> Inst {
    Inst::LoadReg { dst, src, size: 8 }
}

fn store(dst: PlaceId, src: u32) -> Inst {
    Inst::StoreReg { dst, src, size: 8 }
}

fn call_with(arg: u32) -> Inst {
    Inst::Call {
        callee: Callee::Fn(crate::FnId(5)),
        args: Box::new([(Operand::Reg(arg), 8)]),
        dst: 2,
        ret_size: 8,
        target: Some(Label(0)),
        unwind: Unwind::Continue,
        caller_location: None,
    }
}

/// A call at 2 of function 1 (inlined by the tests) with r16, its result in place `dst`,
/// returning to 3.
fn call_fn1(dst: PlaceId) -> Inst {
    Inst::Call {
        callee: Callee::Fn(crate::FnId(1)),
        args: Box::new([(Operand::Reg(16), 8)]),
        dst,
        ret_size: 8,
        target: Some(Label(3)),
        unwind: Unwind::Continue,
        caller_location: None,
    }
}

/// Which instructions `mark_unobserved_retags` marks.
fn marked(mut f: Function) -> Vec<usize> {
    mark_unobserved_retags(&mut f, true);
    (0..f.code.len())
        .filter(|&i| matches!(f.code[i], Inst::ValidateRefReg { unobserved: Unobserved::Alone | Unobserved::BesideReads, .. }))
        .collect()
}

/// `code` with the call at `at` returning to the instruction after it.
fn with_call_target(mut code: Vec<Inst>, at: usize) -> Vec<Inst> {
    if let Inst::Call { target, .. } = &mut code[at] {
        *target = Some(Label(at as u32 + 1));
    }
    code
}

#[test]
fn a_getter_s_entry_retag_is_unobserved() {
    // fn get(&self) -> u64 { self.1 }
    let code = vec![retag(REF, SHARED, RetagMode::FnEntry), load(0, 6), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
    // fn set(&mut self) { self.0 = self.1 }
    let code = vec![retag(REF, MUT, RetagMode::FnEntry), load(16, 6), store(5, 16), Inst::Return];
    assert_eq!(marked(func(code.clone())), [0]);
    // Not asked to mark `&mut`s (Tree Borrows).
    assert_eq!(mark_unobserved_retags(&mut func(code), false), 0);
}

#[test]
fn a_reference_that_escapes_is_retagged() {
    // Returned.
    let code = vec![retag(REF, SHARED, RetagMode::Default), Inst::MoveReg { dst: 0, src: REF, size: 8 }, Inst::Return];
    assert!(marked(func(code)).is_empty());
    // Passed to a call.
    let code = vec![retag(REF, SHARED, RetagMode::Default), call_with(REF), Inst::Return];
    assert!(marked(func(with_call_target(code, 1))).is_empty());
    // Copied, then stored into memory.
    let code = vec![retag(REF, SHARED, RetagMode::Default), Inst::MoveReg { dst: 16, src: REF, size: 8 }, store(7, 16), Inst::Return];
    assert!(marked(func(code)).is_empty());
    // Its address arithmetic made an integer of.
    let cast = Inst::Cast { op: CastOp::ExposeProvenance { to: IntTy::USIZE }, dst: 2, src: Operand::Reg(REF) };
    let code = vec![retag(REF, SHARED, RetagMode::Default), cast, Inst::Return];
    assert!(marked(func(code)).is_empty());
}

#[test]
fn reads_through_other_pointers_beside_a_shared_reference_are_told() {
    // The machine retags in full when such a read could disable a `Unique` parent.
    let how = |code: Vec<Inst>| {
        let mut f = func(code);
        mark_unobserved_retags(&mut f, true);
        let Inst::ValidateRefReg { unobserved, .. } = f.code[0] else { unreachable!() };
        unobserved
    };
    assert_eq!(how(vec![retag(REF, SHARED, RetagMode::Default), load(24, 5), Inst::Return]), Unobserved::Alone);
    let other = vec![retag(REF, SHARED, RetagMode::Default), load(16, 7), load(24, 5), Inst::Return];
    assert_eq!(how(other), Unobserved::BesideReads);
    let other_retag = vec![retag(REF, SHARED, RetagMode::Default), retag(OTHER, SHARED, RetagMode::Default), load(24, 5), Inst::Return];
    assert_eq!(how(other_retag), Unobserved::BesideReads);
    // Beside a `&mut`, other reads are observed, never told.
    assert_eq!(how(vec![retag(REF, MUT, RetagMode::Default), load(16, 7), store(5, 16), Inst::Return]), Unobserved::No);
}

#[test]
fn other_accesses_while_it_lives_keep_the_retag() {
    // A shared reference: reads through other pointers are harmless, a write is not.
    let reads = vec![retag(REF, SHARED, RetagMode::Default), load(16, 7), load(24, 5), Inst::Return];
    assert_eq!(marked(func(reads)), [0]);
    let write = vec![retag(REF, SHARED, RetagMode::Default), store(7, 16), load(24, 5), Inst::Return];
    assert!(marked(func(write)).is_empty());
    // A `&mut`: even a read through another pointer.
    let read = vec![retag(REF, MUT, RetagMode::Default), load(16, 7), store(5, 16), Inst::Return];
    assert!(marked(func(read)).is_empty());
    // Another `&mut` retag beside a shared reference writes.
    let code = vec![retag(REF, SHARED, RetagMode::Default), retag(OTHER, MUT, RetagMode::Default), load(24, 5), Inst::Return];
    assert_eq!(marked(func(code)), [1]);
}

#[test]
fn after_its_last_use_only_a_protector_matters() {
    // A `&mut` never used after the store: the call after it cannot see its tag...
    let code = vec![retag(REF, MUT, RetagMode::Default), store(5, 16), call_with(16), Inst::Return];
    assert_eq!(marked(func(with_call_target(code, 2))), [0]);
    // ...but a function-entry retag's protector lasts until the return.
    let code = vec![retag(REF, MUT, RetagMode::FnEntry), store(5, 16), call_with(16), Inst::Return];
    assert!(marked(func(with_call_target(code, 2))).is_empty());
    // A use after the call keeps it too.
    let code = vec![retag(REF, MUT, RetagMode::Default), store(5, 16), call_with(16), load(0, 5), Inst::Return];
    assert!(marked(func(with_call_target(code, 2))).is_empty());
}

#[test]
fn copies_and_field_addresses_are_followed() {
    // `let p = &(*r).1; *p` through a copy: the copy is the reference.
    let field = Inst::Ref { dst: 2, place: 6, fat: false, inbounds: true };
    let code = vec![retag(REF, SHARED, RetagMode::Default), field, load(0, 8), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
    // The copy returned.
    let field = Inst::Ref { dst: 2, place: 6, fat: false, inbounds: true };
    let code = vec![retag(REF, SHARED, RetagMode::Default), field, Inst::MoveReg { dst: 0, src: 16, size: 8 }, Inst::Return];
    assert!(marked(func(code)).is_empty());
    // Overwritten, the register no longer holds it.
    let code = vec![
        retag(REF, SHARED, RetagMode::Default),
        load(0, 5),
        Inst::ConstReg { dst: REF, src: 0, size: 8 },
        Inst::MoveReg { dst: 0, src: REF, size: 8 },
        Inst::Return,
    ];
    assert_eq!(marked(func(code)), [0]);
}

#[test]
fn a_copy_reborrowed_read_only_holds_a_child_s_tag() {
    // `&*r` returned (an iterator's `next`): the copy's own retag makes a child of the
    // new tag, and the child escapes, not the new tag.
    let copy = Inst::Ref { dst: 2, place: 5, fat: false, inbounds: true };
    let child = |size| retag_of_size(16, SHARED, RetagMode::Default, size);
    let ret = Inst::MoveReg { dst: 0, src: 16, size: 8 };
    let code = |root, child| vec![retag_of_size(REF, SHARED, root, 16), copy.clone(), child, ret.clone(), Inst::Return];
    assert_eq!(marked(func(code(RetagMode::Default, child(16)))), [0]);
    // The child made while the new tag's protector is active: kept.
    assert!(marked(func(code(RetagMode::FnEntry, child(16)))).is_empty());
    // The child reaching past the pointee (a cast's size): kept.
    assert!(marked(func(code(RetagMode::Default, child(24)))).is_empty());
    // The same of a `&mut` (the rule is argued for shared references only): kept.
    let of_mut = vec![retag_of_size(REF, MUT, RetagMode::Default, 16), copy.clone(), child(16), ret.clone(), Inst::Return];
    assert!(marked(func(of_mut)).is_empty());
    // A `&mut` of the copy, or a check with no retag: kept.
    assert!(marked(func(code(RetagMode::Default, retag_of_size(16, MUT, RetagMode::Default, 16)))).is_empty());
    assert!(marked(func(code(RetagMode::Default, retag_of_size(16, SHARED, RetagMode::None, 16)))).is_empty());
    // A field's address: its offset counts against the pointee.
    let field = Inst::Ref { dst: 2, place: 6, fat: false, inbounds: true };
    let code = |child| vec![retag_of_size(REF, SHARED, RetagMode::Default, 16), field.clone(), child, ret.clone(), Inst::Return];
    assert_eq!(marked(func(code(child(8)))), [0]);
    assert!(marked(func(code(child(16)))).is_empty());
    // Other copies are followed still: the reference itself read after a write.
    let code = vec![
        retag_of_size(REF, SHARED, RetagMode::Default, 16),
        copy.clone(),
        child(16),
        store(7, 24),
        load(24, 5),
        ret.clone(),
        Inst::Return,
    ];
    assert!(marked(func(code)).is_empty());
}

/// `func` with a local in memory (local 5, its address at r40; place p9 is `*r40`).
fn func_with_local(code: Vec<Inst>) -> Function {
    let mut f = func(code);
    add_mem_local(&mut f, 40);
    f
}

/// Adds a local in memory whose address is at register `ptr_off` (the frame's end), and
/// the place `*r{ptr_off}`.
fn add_mem_local(f: &mut Function, ptr_off: u32) {
    f.frame_size = ptr_off + 8;
    f.locals.push(LocalSlot::Mem { ptr_off, size: 8, align: 8 });
    f.places.push(Place { base: crate::PlaceBase::Reg(ptr_off), projs: vec![Proj::Deref { fat: false }].into(), align: 8 });
}

#[test]
fn writes_into_a_local_made_after_the_retag_are_harmless() {
    let live = Inst::StorageLive { local: 5 };
    // let end = ..; (a local whose address is taken, written after the retag)
    let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), store(9, 16), load(0, 5), Inst::Return];
    assert_eq!(marked(func_with_local(code)), [0]);
    let code = vec![retag(REF, MUT, RetagMode::Default), live.clone(), store(9, 16), store(5, 16), Inst::Return];
    assert_eq!(marked(func_with_local(code)), [0]);
    // A local made before the retag: a reference loaded from memory may point into it.
    let code = vec![live.clone(), load(REF, 7), retag(REF, SHARED, RetagMode::Default), store(9, 16), load(0, 5), Inst::Return];
    assert!(marked(func_with_local(code)).is_empty());
    // A parameter cannot (its memory was made before the function's locals).
    let code = vec![live.clone(), retag(REF, SHARED, RetagMode::Default), store(9, 16), load(0, 5), Inst::Return];
    assert_eq!(marked(func_with_local(code)), [1]);
    // Its address register overwritten first.
    let other = Inst::MoveReg { dst: 40, src: OTHER, size: 8 };
    let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), other, store(9, 16), load(0, 5), Inst::Return];
    assert!(marked(func_with_local(code)).is_empty());
    // The reference itself stored there.
    let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), store(9, REF), load(0, 5), Inst::Return];
    assert!(marked(func_with_local(code)).is_empty());
    // Made on one path only (followed first: the joined path has it on neither).
    // (A reference loaded from memory: a parameter's could not point into the local on
    // either path.)
    let code = vec![
        load(REF, 7),
        retag(REF, SHARED, RetagMode::Default),
        Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(4), Label(3)]) },
        live,
        store(9, 16),
        load(0, 5),
        Inst::Return,
    ];
    assert!(marked(func_with_local(code)).is_empty());
}

#[test]
fn a_raw_read_only_reborrow_of_the_reference_is_the_reference() {
    // `(&raw const *r).len()` (`<[T]>::len` through `ptr::metadata`): r16 = &raw const *r8,
    // its metadata read, then `*r` read.
    let raw = |mutable| Inst::RetagRaw {
        place: 2,
        layout: crate::DynLayout::Sized { size: 8, align: 8 },
        kind: RefKind::Raw { mutable, freeze: true },
    };
    let metadata = Inst::UnOp { op: crate::UnOp::PtrMetadata, ty: crate::ScalarTy::FatPtr, dst: 3, a: Operand::Reg(16) };
    let code = |raw, then: Inst| {
        vec![
            retag(REF, SHARED, RetagMode::FnEntry),
            Inst::Ref { dst: 2, place: 5, fat: false, inbounds: true },
            raw,
            metadata.clone(),
            then,
            load(0, 5),
            Inst::Return,
        ]
    };
    let nothing = Inst::Goto { target: Label(5) };
    assert_eq!(marked(func(code(raw(false), nothing.clone()))), [0]);
    // A `&raw mut`, or the raw pointer passed on: kept.
    assert!(marked(func(code(raw(true), nothing))).is_empty());
    assert!(marked(func(with_call_target(code(raw(false), call_with(16)), 4))).is_empty());
    // Read through another raw pointer's reborrow: a read beside.
    let other = Inst::RetagRaw {
        place: 4,
        layout: crate::DynLayout::Sized { size: 8, align: 8 },
        kind: RefKind::Raw { mutable: false, freeze: true },
    };
    let code = vec![retag(REF, SHARED, RetagMode::Default), other, load(0, 5), Inst::Return];
    assert_eq!(mark_of(&mut func(code), 0), Unobserved::BesideReads);
}

/// `func_with_local` with a second local in memory (local 6, its address at r48; place
/// p10 is `*r48`).
fn func_with_two_locals(code: Vec<Inst>) -> Function {
    let mut f = func_with_local(code);
    add_mem_local(&mut f, 48);
    f
}

#[test]
fn other_locals_allocations_are_no_reference_s_memory() {
    let (live5, live6) = (Inst::StorageLive { local: 5 }, Inst::StorageLive { local: 6 });
    // A parameter's reference, read beside a read of a local's memory: harmless.
    let code = vec![live5.clone(), retag(REF, SHARED, RetagMode::Default), load(16, 9), load(0, 5), Inst::Return];
    assert_eq!(mark_of(&mut func_with_local(code), 1), Unobserved::Alone);
    // The same of a local made at the function's start (no `StorageLive`), unless its
    // address register is also written by something else.
    let code = vec![retag(REF, SHARED, RetagMode::Default), load(16, 9), load(0, 5), Inst::Return];
    assert_eq!(mark_of(&mut func_with_local(code), 0), Unobserved::Alone);
    let code =
        vec![retag(REF, SHARED, RetagMode::Default), load(16, 9), load(0, 5), Inst::MoveReg { dst: 40, src: OTHER, size: 8 }, Inst::Return];
    assert_eq!(mark_of(&mut func_with_local(code), 0), Unobserved::BesideReads);
    // A reference into local 5, beside reads and writes of local 6: harmless.
    let into5 = Inst::Ref { dst: 1, place: 9, fat: false, inbounds: true };
    let code = |kind, beside: Inst| {
        let last = if kind == SHARED { load(0, 5) } else { store(5, 16) };
        func_with_two_locals(vec![
            live5.clone(),
            live6.clone(),
            into5.clone(),
            retag(REF, kind, RetagMode::Default),
            beside,
            last,
            Inst::Return,
        ])
    };
    assert_eq!(mark_of(&mut code(SHARED, load(16, 10)), 3), Unobserved::Alone);
    assert_eq!(mark_of(&mut code(MUT, store(10, 24)), 3), Unobserved::Alone);
    assert_eq!(mark_of(&mut code(MUT, load(24, 10)), 3), Unobserved::Alone);
    // A `&mut` made into local 6 (a write of its memory) beside the reference.
    let mut_into6 = vec![Inst::Ref { dst: 2, place: 10, fat: false, inbounds: true }, retag(16, MUT, RetagMode::Default)];
    let mut with_mut = vec![live5.clone(), live6.clone(), into5.clone(), retag(REF, SHARED, RetagMode::Default)];
    with_mut.extend(mut_into6);
    with_mut.extend([load(0, 5), Inst::Return]);
    assert_eq!(mark_of(&mut func_with_two_locals(with_mut), 3), Unobserved::Alone);
    // Local 5's own memory, or a pointer loaded from anywhere: not so.
    assert_eq!(mark_of(&mut code(MUT, store(9, 24)), 3), Unobserved::No);
    assert_eq!(mark_of(&mut code(SHARED, load(16, 7)), 3), Unobserved::BesideReads);
    assert_eq!(mark_of(&mut code(MUT, load(24, 7)), 3), Unobserved::No);
    // A field address through local 6's register, taken before the retag, is followed.
    let into6 = Inst::Ref { dst: 3, place: 10, fat: false, inbounds: true };
    let code = vec![live5, live6, into6, into5, retag(REF, SHARED, RetagMode::Default), load(16, 8), load(0, 5), Inst::Return];
    let mut f = func_with_two_locals(code);
    // (p8 is `*r16`: make it `*r24`, the field address.)
    f.places[8] = Place { base: crate::PlaceBase::Reg(24), projs: vec![Proj::Deref { fat: false }].into(), align: 8 };
    assert_eq!(mark_of(&mut f, 4), Unobserved::Alone);
}

#[test]
fn an_enum_s_tag_read_through_it_is_a_read() {
    let info = Box::new(crate::DiscrInfo {
        kind: crate::DiscrKind::Direct { offset: 0, tag: IntTy::U8 },
        values: Box::new([0, 1]),
        result: IntTy::ISIZE,
        uninhabited: Box::new([]),
        tag_valid: (0, 1),
        tag_dense: true,
    });
    // match *r { .. } with a local's storage ended meanwhile.
    let code = vec![
        retag(REF, SHARED, RetagMode::FnEntry),
        Inst::Discriminant { dst: 3, place: 5, info: info.clone() },
        Inst::StorageDead { local: 2 },
        Inst::Return,
    ];
    assert_eq!(marked(func(code)), [0]);
    // The tag of a register enum holding the reference is a read of it.
    let code = vec![retag(REF, SHARED, RetagMode::Default), Inst::Discriminant { dst: 3, place: 1, info }, Inst::Return];
    assert!(marked(func(code)).is_empty());
}

#[test]
fn paths_that_meet_must_agree() {
    // if c { x = *r } else { y = *r }: both paths read through it, then it dies.
    let code = vec![
        retag(REF, SHARED, RetagMode::Default),
        Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(2), Label(4)]) },
        load(16, 5),
        Inst::Goto { target: Label(5) },
        load(16, 6),
        Inst::Return,
    ];
    assert_eq!(marked(func(code)), [0]);
    // A loop writing through another pointer while the reference lives.
    let code = vec![
        retag(REF, SHARED, RetagMode::Default),
        load(16, 5),
        store(7, 16),
        Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(1), Label(4)]) },
        Inst::Return,
    ];
    assert!(marked(func(code)).is_empty());
}

#[test]
fn an_inlined_getter_and_its_argument_are_unobserved() {
    // fn get(r: &u64) -> u64 { *r }, inlined into `x = get(&*other); call(x)`.
    let mut get = func(vec![retag(REF, SHARED, RetagMode::FnEntry), load(0, 5), Inst::Return]);
    get.params = vec![Param { local: 1, offset: 0, size: 8 }];
    let caller_code = vec![
        Inst::Ref { dst: 2, place: 7, fat: false, inbounds: false },
        retag(16, SHARED, RetagMode::Default),
        call_fn1(3),
        call_with(24),
        Inst::Return,
    ];
    let mut main = func(with_call_target(caller_code, 3));
    mark_unobserved_retags(&mut get, true);
    assert!(matches!(get.code[0], Inst::ValidateRefReg { unobserved: Unobserved::Alone | Unobserved::BesideReads, .. }));
    assert_eq!(inline_calls(&mut main, |g, _| (g == crate::FnId(1)).then_some(&get)), 1);
    mark_unobserved_retags(&mut main, true);
    let unobserved: Vec<usize> = (0..main.code.len())
        .filter(|&i| matches!(main.code[i], Inst::ValidateRefReg { unobserved: Unobserved::Alone | Unobserved::BesideReads, .. }))
        .collect();
    // The caller's retag of `&*other`, and the callee's entry retag in its inlined body.
    assert_eq!(unobserved.len(), 2, "{}", main.print("main"));
    assert_eq!(unobserved[0], 1);
}

#[test]
fn a_reference_an_inlined_callee_returns_is_followed_in_the_caller() {
    // fn id(r: &u64) -> &u64 { r }, inlined into `let x = id(&*other); *x`.
    let mut id = func(vec![retag(REF, SHARED, RetagMode::FnEntry), Inst::MoveReg { dst: 0, src: REF, size: 8 }, Inst::Return]);
    id.params = vec![Param { local: 1, offset: 0, size: 8 }];
    let inlined = |after: Vec<Inst>| {
        let call = call_fn1(2);
        let mut code = vec![Inst::Ref { dst: 2, place: 7, fat: false, inbounds: false }, retag(16, SHARED, RetagMode::Default), call];
        code.extend(after);
        let mut main = func(code);
        assert_eq!(inline_calls(&mut main, |g, _| (g == crate::FnId(1)).then_some(&id)), 1);
        mark_unobserved_retags(&mut main, true);
        (0..main.code.len())
            .filter(|&i| matches!(main.code[i], Inst::ValidateRefReg { unobserved: Unobserved::Alone | Unobserved::BesideReads, .. }))
            .count()
    };
    // Read through in the caller: the caller's retag and the callee's entry retag.
    assert_eq!(inlined(vec![load(0, 8), Inst::Return]), 2);
    // A write through another pointer before the read, or the reference returned by
    // the caller: only the caller's retag, whose one copy became the callee's (a
    // read-only reborrow of it).
    assert_eq!(inlined(vec![store(7, 24), load(0, 8), Inst::Return]), 1);
    assert_eq!(inlined(vec![Inst::MoveReg { dst: 0, src: 16, size: 8 }, Inst::Return]), 1);
}

#[test]
fn a_branch_on_a_value_behind_another_pointer_reads_it() {
    // Beside a `&mut`, a switch on `*other` is a read through another pointer.
    let switch = |discr| Inst::SwitchInt { discr, ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(2), Label(2)]) };
    let code = vec![retag(REF, MUT, RetagMode::Default), switch(Operand::Place(7)), store(5, 16), Inst::Return];
    assert!(marked(func(code)).is_empty());
    let code = vec![retag(REF, MUT, RetagMode::Default), switch(Operand::Reg(24)), store(5, 16), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
}

/// How `mark_unobserved_retags` marks the retag at `at`.
fn mark_of(f: &mut Function, at: usize) -> Unobserved {
    mark_unobserved_retags(f, true);
    let Inst::ValidateRefReg { unobserved, .. } = f.code[at] else { panic!("no retag at {at}") };
    unobserved
}

#[test]
fn reads_through_the_parent_s_kin_are_not_reads_beside() {
    // `let r = &*other; *other; *r`: the read through `other` is one through the parent.
    let parent = Inst::Ref { dst: 1, place: 7, fat: false, inbounds: true };
    let code = |between: Vec<Inst>, after: Vec<Inst>| {
        let mut code = vec![parent.clone()];
        code.extend(between);
        code.push(retag(REF, SHARED, RetagMode::Default));
        code.extend(after);
        code.extend([load(24, 5), Inst::Return]);
        func(code)
    };
    assert_eq!(mark_of(&mut code(vec![], vec![load(16, 7)]), 1), Unobserved::Alone);
    // `other` overwritten before the retag, or after it: no longer the parent.
    let overwrite = Inst::MoveReg { dst: OTHER, src: 16, size: 8 };
    assert_eq!(mark_of(&mut code(vec![overwrite.clone()], vec![load(16, 7)]), 2), Unobserved::BesideReads);
    assert_eq!(mark_of(&mut code(vec![], vec![overwrite, load(16, 7)]), 1), Unobserved::BesideReads);
    let constant = Inst::ConstReg { dst: OTHER, src: 0, size: 8 };
    assert_eq!(mark_of(&mut code(vec![], vec![constant, load(16, 7)]), 1), Unobserved::BesideReads);
    // A field's address through `other`, read-only retagged and read: a descendant.
    let field = Inst::Ref { dst: 2, place: 7, fat: false, inbounds: true };
    let sibling = vec![field, retag(16, SHARED, RetagMode::Default), load(24, 8)];
    assert_eq!(mark_of(&mut code(vec![], sibling), 1), Unobserved::Alone);
    // A copy of the reference reborrowed read-only (a child's tag) and read through.
    let child =
        vec![Inst::Ref { dst: 2, place: 5, fat: false, inbounds: true }, retag_of_size(16, SHARED, RetagMode::Default, 16), load(24, 8)];
    assert_eq!(mark_of(&mut code(vec![], child), 1), Unobserved::Alone);
    // A pointer loaded from memory is no kin.
    assert_eq!(mark_of(&mut code(vec![], vec![load(16, 7), load(24, 8)]), 1), Unobserved::BesideReads);

    // The parent a read-only reborrow of `other`: `other`'s reads cannot disable it (a
    // `SharedReadOnly` item, or `other`'s own tag where that reborrow was elided).
    let through = |kind| {
        vec![
            Inst::MoveReg { dst: 16, src: OTHER, size: 8 },
            retag(16, kind, RetagMode::Default),
            Inst::Ref { dst: 1, place: 8, fat: false, inbounds: true },
            retag(REF, SHARED, RetagMode::Default),
            load(24, 7),
            load(24, 5),
            Inst::Return,
        ]
    };
    assert_eq!(mark_of(&mut func(through(SHARED)), 3), Unobserved::Alone);
    // A `&mut` reborrow instead: a read through `other` disables its `Unique` item.
    assert_eq!(mark_of(&mut func(through(MUT)), 3), Unobserved::BesideReads);
    // Past a join, the parent is not followed back.
    let mut joined = through(SHARED);
    joined.insert(0, Inst::Goto { target: Label(1) });
    joined.insert(2, Inst::Goto { target: Label(3) });
    let mut f = func(joined);
    if let Inst::Goto { target } = &mut f.code[0] {
        *target = Label(3);
    }
    assert_eq!(mark_of(&mut f, 5), Unobserved::BesideReads);
}

#[test]
fn an_inlined_callee_s_retags_are_searched_again_in_the_caller() {
    // fn lt(a: &u64, b: &u64) -> u64 { *a + *b }, inlined into `lt(&(*other), &(*other))`
    // (`Range::next`'s `self.start < self.end`): each reference is read beside the other in
    // the callee, but both come from `other` in the caller.
    let mut lt = func(vec![
        retag(REF, SHARED, RetagMode::FnEntry),
        retag(OTHER, SHARED, RetagMode::FnEntry),
        load(16, 5),
        load(24, 7),
        Inst::Return,
    ]);
    mark_unobserved_retags(&mut lt, true);
    let marks = |f: &Function| {
        f.code
            .iter()
            .filter_map(|i| if let Inst::ValidateRefReg { unobserved, .. } = i { Some(*unobserved) } else { None })
            .collect::<Vec<_>>()
    };
    assert_eq!(marks(&lt), [Unobserved::BesideReads, Unobserved::BesideReads]);
    let caller = |second: Inst| {
        let call = Inst::Call {
            callee: Callee::Fn(crate::FnId(1)),
            args: Box::new([(Operand::Reg(16), 8), (Operand::Reg(24), 8)]),
            dst: 0,
            ret_size: 8,
            target: Some(Label(5)),
            unwind: Unwind::Continue,
            caller_location: None,
        };
        let code = vec![
            Inst::Ref { dst: 2, place: 7, fat: false, inbounds: true },
            retag(16, SHARED, RetagMode::Default),
            second,
            retag(24, SHARED, RetagMode::Default),
            call,
            Inst::Return,
        ];
        let mut main = func(code);
        assert_eq!(inline_calls(&mut main, |g, _| (g == crate::FnId(1)).then_some(&lt)), 1);
        mark_unobserved_retags(&mut main, true);
        marks(&main)
    };
    assert_eq!(caller(Inst::Ref { dst: 3, place: 7, fat: false, inbounds: true }), [Unobserved::Alone; 4]);
    // The second a pointer read from memory: reads beside remain.
    let loaded = caller(load(24, 7));
    assert_eq!(loaded.len(), 4);
    assert!(loaded.contains(&Unobserved::BesideReads), "{loaded:?}");
}

/// `if r24 == 0 { goto a } else { goto b }`.
fn branch(a: u32, b: u32) -> Inst {
    Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(a), Label(b)]) }
}

#[test]
fn zero_sized_retags_and_paths_that_stop_the_program_observe_nothing() {
    // A reference to a zero-sized value retagged beside a shared reference accesses no
    // byte (and is never used itself); one to a `u64` (a `&mut`) writes.
    let code = vec![retag(REF, SHARED, RetagMode::Default), retag_of_size(OTHER, MUT, RetagMode::FnEntry, 0), load(24, 5), Inst::Return];
    assert_eq!(marked(func(code)), [0, 1]);
    let code = vec![retag(REF, SHARED, RetagMode::Default), retag(OTHER, MUT, RetagMode::FnEntry), load(24, 5), Inst::Return];
    assert!(!marked(func(code)).contains(&0));
    // A protected reference on a path into unreachable code (UB that names no tag), the
    // other path reading through it.
    let code = vec![retag(REF, SHARED, RetagMode::FnEntry), branch(2, 3), Inst::Unreachable, load(0, 5), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
    // Nor can anything after unwinding out of the function: its registers die with it.
    let code = vec![retag(REF, SHARED, RetagMode::FnEntry), branch(2, 3), Inst::UnwindResume, load(0, 5), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
}

#[test]
fn a_reference_to_a_zero_sized_value_is_observed_only_through_non_empty_accesses() {
    // A closure's `&mut self` with no captures: reads, writes, retags through other
    // pointers and a call it is not passed to see nothing of its tag.
    let zst = |mode| retag_of_size(REF, MUT, mode, 0);
    let others = [load(16, 7), store(7, 16), retag(OTHER, MUT, RetagMode::Default)];
    let code = [&[zst(RetagMode::FnEntry)][..], &others, &[call_with(16), Inst::Return]].concat();
    assert!(marked(func(with_call_target(code, 4))).contains(&0));
    // Passed to the call: kept.
    let code = vec![zst(RetagMode::FnEntry), load(16, 7), call_with(REF), Inst::Return];
    assert!(marked(func(with_call_target(code, 2))).is_empty());
    // A non-empty access through it (a cast's): kept.
    let code = vec![zst(RetagMode::Default), load(16, 5), Inst::Return];
    assert!(marked(func(code)).is_empty());
    let code = vec![zst(RetagMode::Default), store(5, 16), Inst::Return];
    assert!(marked(func(code)).is_empty());
    // A copy retagged as a reference to bytes: kept; as another zero-sized one: the
    // same value.
    let copy = Inst::MoveReg { dst: 16, src: REF, size: 8 };
    let code = vec![zst(RetagMode::Default), copy.clone(), retag_of_size(16, MUT, RetagMode::Default, 8), Inst::Return];
    assert!(!marked(func(code)).contains(&0));
    let code = vec![zst(RetagMode::Default), copy, retag_of_size(16, MUT, RetagMode::Default, 0), store(7, 24), Inst::Return];
    assert!(marked(func(code)).contains(&0));
}

#[test]
fn paths_that_meet_beside_a_shared_reference_go_on_joined() {
    // if c { p = r } (a copy on one path only); then reads through `r`: the joined path
    // holds both copies, and neither escapes.
    let code =
        vec![retag(REF, SHARED, RetagMode::Default), branch(2, 3), Inst::MoveReg { dst: 16, src: REF, size: 8 }, load(0, 5), Inst::Return];
    assert_eq!(marked(func(code)), [0]);
    // The copy made on one path returned after the join: observed.
    let code = vec![
        retag(REF, SHARED, RetagMode::Default),
        branch(2, 3),
        Inst::MoveReg { dst: 16, src: REF, size: 8 },
        Inst::MoveReg { dst: 0, src: 16, size: 8 },
        Inst::Return,
    ];
    assert!(marked(func(code)).is_empty());
    // Beside a `&mut`, paths that meet in different states still give up.
    let code =
        vec![retag(REF, MUT, RetagMode::Default), branch(2, 3), Inst::MoveReg { dst: 16, src: REF, size: 8 }, store(5, 0), Inst::Return];
    assert!(marked(func(code)).is_empty());
}

#[test]
fn a_move_in_place_reads_only_its_places_pointers() {
    // `r` dead, then a call taking place `moved` in place.
    let code = |moved: PlaceId| {
        let code = vec![
            retag(REF, SHARED, RetagMode::Default),
            load(0, 5),
            Inst::ProtectInPlace { places: Box::new([(moved, 8)]) },
            call_with(24),
            Inst::Return,
        ];
        func(with_call_target(code, 3))
    };
    // `*other`: the call's write cannot observe it.
    assert_eq!(marked(code(7)), [0]);
    // Moving `*r` itself in place reads the reference.
    assert!(marked(code(5)).is_empty());
}

#[test]
fn ranges_stay_sorted_and_merged() {
    let mut r = Ranges::one((8, 16));
    r.add((16, 24));
    r.add((0, 4));
    assert_eq!(r.as_slice(), [(0, 4), (8, 24)]);
    r.remove((10, 12));
    assert_eq!(r.as_slice(), [(0, 4), (8, 10), (12, 24)]);
    assert!(r.covers((12, 20)) && !r.covers((9, 13)) && r.overlaps((3, 5)) && !r.overlaps((4, 8)));
    assert_eq!(r.moved(8, 40, 8).as_slice(), [(40, 42), (44, 48)]);
    for i in 0..10 {
        r.add((100 + 10 * i, 105 + 10 * i));
    }
    assert!(r.full && r.overlaps((1000, 1001)), "past the limit, every byte counts as in it");
}
