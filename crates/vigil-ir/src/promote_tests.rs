//! Unit tests of `promote.rs`: which locals move into registers, and what their code becomes.

use super::*;
use crate::test_util::ref_retag;
use crate::{ConstValue, FnId, InlineEnd, Inlined, Label, RetagMode, SpanId};

// The test function's frame: r0 the return value, r8 the pointer to local 1 (16 bytes in
// memory, with storage markers), r16 the reference to it, r24..r48 an inlined callee's
// registers (r24 its parameter, r32 what it loads), r48 the saved call id.
const PTR: u32 = 8;
const REF: u32 = 16;
const PARAM: u32 = 24;
const LOADED: u32 = 32;

/// Places: p0 `*r8`, p1 `(*r8).8`, p2 r16, p3 `(*r24).8`, p4 r32.
fn deref(reg: u32, field: u32) -> Place {
    let mut projs = vec![Proj::Deref { fat: false }];
    if field != 0 {
        projs.push(Proj::Field { offset: field, keep_meta: false });
    }
    Place { base: PlaceBase::Reg(reg), projs: projs.into(), align: 8 }
}

/// `main` writes both fields of local 1, takes a shared reference to it and passes it to an
/// inlined callee that reads the second field (`load`, its instruction at @11) and returns
/// it; then local 1's storage ends.
fn func(load: Inst) -> Function {
    let code = vec![
        Inst::StorageLive { local: 1 },
        Inst::Move { dst: 0, src: Operand::Const(0), size: 8 },
        Inst::Move { dst: 1, src: Operand::Const(0), size: 8 },
        Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false },
        ref_retag(REF, RefKind::Shared { freeze: true }, 16, RetagMode::Default),
        Inst::InlineEnter { regs: PARAM, size: 24, body: Label(9), protects: true, fresh_at: 0, fresh_len: 24 },
        Inst::StorageDead { local: 1 },
        Inst::Return,
        Inst::Unreachable,
        Inst::MoveReg { dst: PARAM, src: REF, size: 8 },
        ref_retag(PARAM, RefKind::Shared { freeze: true }, 16, RetagMode::FnEntry),
        load,
        Inst::InlineReturn { dst: 0, src: LOADED, size: 8, target: Label(6), ends: InlineEnd::Protectors, saved: 48 },
    ];
    Function {
        locals: vec![LocalSlot::Reg { off: 0 }, LocalSlot::Mem { ptr_off: PTR, size: 16, align: 8 }],
        storage_managed: vec![1],
        ret_size: 8,
        spans: (0..code.len() as u32).map(SpanId).collect(),
        places: vec![deref(PTR, 0), deref(PTR, 8), Place::reg(REF), deref(PARAM, 8), Place::reg(LOADED)],
        consts: vec![ConstValue { bytes: Box::new([7, 0, 0, 0, 0, 0, 0, 0]), prov: Box::new([]) }],
        inlined: Box::new([Inlined { start: 10, end: 13, callee: FnId(1), call: 5 }]),
        ..Function::bare(56, code)
    }
}

fn load_second_field() -> Inst {
    Inst::LoadReg { dst: LOADED, src: 3, size: 8 }
}

#[test]
fn a_local_read_only_through_an_inlined_callee_moves_into_registers() {
    let mut f = func(load_second_field());
    assert_eq!(promote_locals(&mut f), 1);
    // Its 16 bytes follow the frame; it is in no list of locals in memory.
    assert!(matches!(f.locals[1], LocalSlot::Reg { off: 56 }));
    assert_eq!(f.frame_size, 72);
    assert!(f.storage_managed.is_empty());
    assert!(f.byte_regs.contains(&(56, 16)));
    // Its storage starts uninitialized; the writes go to its registers; the reference, its
    // copy into the callee and both retags are gone, and so is the end of its storage.
    assert!(matches!(f.code[0], Inst::Uninit { reg: 56, size: 16 }), "{:?}", f.code[0]);
    let reg_of = |p: PlaceId| {
        let p = &f.places[p as usize];
        assert!(p.projs.is_empty());
        let PlaceBase::Reg(r) = p.base;
        r
    };
    let Inst::Move { dst, src: Operand::Const(0), size: 8 } = f.code[1] else { panic!("{:?}", f.code[1]) };
    assert_eq!(reg_of(dst), 56);
    let Inst::Move { dst, .. } = f.code[2] else { panic!("{:?}", f.code[2]) };
    assert_eq!(reg_of(dst), 64);
    assert!(matches!(f.code[3], Inst::InlineEnter { body: Label(6), protects: false, .. }), "{:?}", f.code[3]);
    assert!(matches!(f.code[4], Inst::Return));
    // The callee reads the field from the registers, and protects nothing any more.
    assert!(matches!(f.code[6], Inst::MoveReg { dst: LOADED, src: 64, size: 8 }), "{:?}", f.code[6]);
    assert!(matches!(f.code[7], Inst::InlineReturn { target: Label(4), ends: InlineEnd::Call, .. }), "{:?}", f.code[7]);
    assert_eq!(f.code.len(), 8);
    assert_eq!(f.spans.len(), 8);
    assert_eq!(f.inlined[0], Inlined { start: 6, end: 8, callee: FnId(1), call: 3 });
}

#[test]
fn a_reference_that_reaches_a_call_keeps_the_local_in_memory() {
    let call = Inst::Call {
        callee: Callee::Fn(FnId(2)),
        args: Box::new([(Operand::Reg(PARAM), 8)]),
        dst: 4,
        ret_size: 8,
        target: Some(Label(12)),
        unwind: crate::Unwind::Continue,
        caller_location: None,
    };
    let mut f = func(call);
    assert_eq!(promote_locals(&mut f), 0);
    assert!(matches!(f.locals[1], LocalSlot::Mem { .. }));
    assert_eq!(f.code.len(), 13);
}

#[test]
fn a_write_while_a_reference_may_still_be_read_keeps_the_local_in_memory() {
    // The write to the first field comes after the reference is made, before it is read.
    let mut f = func(load_second_field());
    f.code.swap(1, 4);
    f.code[1] = Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false };
    f.code[2] = ref_retag(REF, RefKind::Shared { freeze: true }, 16, RetagMode::Default);
    f.code[3] = Inst::Move { dst: 1, src: Operand::Const(0), size: 8 };
    f.code[4] = Inst::Move { dst: 0, src: Operand::Const(0), size: 8 };
    assert_eq!(promote_locals(&mut f), 0);
    // Written before the reference is made, it is no obstacle.
    let mut f = func(load_second_field());
    f.code.swap(1, 3);
    f.code.swap(2, 4);
    f.code[1] = Inst::Move { dst: 0, src: Operand::Const(0), size: 8 };
    f.code[2] = Inst::Move { dst: 1, src: Operand::Const(0), size: 8 };
    f.code[3] = Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false };
    f.code[4] = ref_retag(REF, RefKind::Shared { freeze: true }, 16, RetagMode::Default);
    assert_eq!(promote_locals(&mut f), 1);
}

/// `func` with `&mut` references: the one made at @4 and the callee's at @10.
fn func_mut(callee_access: Inst) -> Function {
    let mut f = func(callee_access);
    f.code[4] = ref_retag(REF, RefKind::Mut { unpin: true }, 16, RetagMode::Default);
    f.code[10] = ref_retag(PARAM, RefKind::Mut { unpin: true }, 16, RetagMode::FnEntry);
    f
}

fn store_second_field() -> Inst {
    Inst::StoreReg { dst: 3, src: LOADED, size: 8 }
}

#[test]
fn mutable_references_used_newest_first_move_the_local() {
    // The callee reads, or writes, through its `&mut`, made from the caller's: each access is
    // through the newest reference, and the older one is not used again.
    for access in [load_second_field(), store_second_field()] {
        let mut f = func_mut(access);
        assert_eq!(promote_locals(&mut f), 1);
        // The references, their copy and retags are gone; the callee no longer protects.
        assert!(matches!(f.code[3], Inst::InlineEnter { protects: false, .. }), "{:?}", f.code[3]);
        assert!(matches!(f.code[6], Inst::MoveReg { src: 64, .. } | Inst::MoveReg { dst: 64, .. }), "{:?}", f.code[6]);
        assert_eq!(f.code.len(), 8);
    }
}

#[test]
fn a_write_through_a_shared_reference_keeps_the_local_in_memory() {
    let mut f = func(store_second_field());
    assert_eq!(promote_locals(&mut f), 0);
}

#[test]
fn a_parent_used_while_its_protected_mutable_child_lives_keeps_the_local_in_memory() {
    // The callee reads through the caller's reference (p5, `(*r16).8`) instead of its own.
    let through_parent = Inst::LoadReg { dst: LOADED, src: 5, size: 8 };
    let mut f = func_mut(through_parent.clone());
    f.places.push(deref(REF, 8));
    assert_eq!(promote_locals(&mut f), 0);
    // With shared references, reads through either invalidate nothing.
    let mut f = func(through_parent);
    f.places.push(deref(REF, 8));
    assert_eq!(promote_locals(&mut f), 1);
}

#[test]
fn the_locals_own_pointer_used_while_a_mutable_reference_lives_keeps_it_in_memory() {
    // Between the reference's making (@1, @2) and its use in the callee, the local is read
    // (r40) or written through its own pointer; without that access, the local moves.
    let nothing = Inst::ConstRegImm { dst: 40, value: 0, size: 8 };
    let mut f = func_mut(load_second_field());
    f.code[1] = Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false };
    f.code[2] = ref_retag(REF, RefKind::Mut { unpin: true }, 16, RetagMode::Default);
    f.code[3] = nothing.clone();
    f.code[4] = nothing;
    assert_eq!(promote_locals(&mut f), 1);
    for access in [Inst::LoadReg { dst: 40, src: 1, size: 8 }, Inst::Move { dst: 1, src: Operand::Const(0), size: 8 }] {
        let mut f = func_mut(load_second_field());
        f.code[1] = Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false };
        f.code[2] = ref_retag(REF, RefKind::Mut { unpin: true }, 16, RetagMode::Default);
        f.code[3] = access.clone();
        f.code[4] = Inst::ConstRegImm { dst: 44, value: 0, size: 4 };
        assert_eq!(promote_locals(&mut f), 0, "{access:?}");
        // A read through it while a shared reference lives invalidates nothing.
        let mut f = func(load_second_field());
        f.code[1] = Inst::Ref { dst: 2, place: 0, fat: false, inbounds: false };
        f.code[2] = ref_retag(REF, RefKind::Shared { freeze: true }, 16, RetagMode::Default);
        f.code[3] = access.clone();
        f.code[4] = Inst::ConstRegImm { dst: 44, value: 0, size: 4 };
        let reads = matches!(access, Inst::LoadReg { .. });
        assert_eq!(promote_locals(&mut f), reads as usize, "{access:?}");
    }
}

#[test]
fn a_read_past_the_local_keeps_it_in_memory() {
    // Eight bytes at offset 16 of a 16-byte local: the memory access is out of bounds.
    let mut f = func(load_second_field());
    f.places[3] = deref(PARAM, 16);
    assert_eq!(promote_locals(&mut f), 0);
    // A place more aligned than the local.
    let mut f = func(load_second_field());
    f.places[3].align = 16;
    assert_eq!(promote_locals(&mut f), 0);
}

#[test]
fn a_reference_copied_on_one_path_only_keeps_the_local_in_memory() {
    // The load at @11 is also reached from @4, a switch, through @8: there the callee's
    // parameter register was never given the reference.
    let mut f = func(load_second_field());
    f.code[4] = Inst::SwitchInt {
        discr: Operand::Reg(0),
        ty: crate::IntTy { size: 8, signed: false },
        values: Box::new([0]),
        targets: Box::new([Label(5), Label(8)]),
    };
    let mut unreached =
        Function { code: f.code.clone(), places: f.places.clone(), inlined: f.inlined.clone(), ..func(load_second_field()) };
    f.code[8] = Inst::Goto { target: Label(11) };
    assert_eq!(promote_locals(&mut f), 0);
    // (Without the way through @8, the local moves.)
    assert_eq!(promote_locals(&mut unreached), 1);
}
