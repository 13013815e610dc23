//! Unit tests of `copies.rs` on hand-built functions.

use std::sync::Arc;

use super::*;
use crate::{FnId, IntOp, IntTy, Label, PlaceBase, SpanId, Unwind, VCheck, Validity};

const U64: IntTy = IntTy { size: 8, signed: false };
const U32: IntTy = IntTy { size: 4, signed: false };

/// `code` in a frame of 128 bytes; place 0 is register 64, place 1 is `*r16`.
fn func(code: Vec<Inst>) -> Function {
    Function {
        spans: (0..code.len() as u32).map(SpanId).collect(),
        places: vec![Place::reg(64), Place { base: PlaceBase::Reg(16), projs: Box::new([Proj::Deref { fat: false }]), align: 8 }],
        ..Function::bare(128, code)
    }
}

fn names(f: &Function) -> Vec<&'static str> {
    f.code.iter().map(|i| i.name()).collect()
}

fn call(args: &[(u32, u32)], target: u32) -> Inst {
    Inst::Call {
        callee: Callee::Fn(FnId(1)),
        args: args.iter().map(|&(r, size)| (Operand::Reg(r), size)).collect(),
        dst: 0,
        ret_size: 0,
        target: Some(Label(target)),
        unwind: Unwind::Continue,
        caller_location: None,
    }
}

fn add(dst: u32, a: u32, b: u32, ty: IntTy) -> Inst {
    Inst::IntOp { op: IntOp::Add, ty, dst, a, b }
}

fn nonzero() -> Arc<Validity> {
    Arc::new(Validity { size: 8, checks: vec![VCheck::Range { offset: 0, size: 8, start: 1, end: u64::MAX as u128 }] })
}

#[test]
fn a_chain_of_word_copies_is_read_at_its_source_and_removed() {
    let mut f = func(vec![
        Inst::MoveReg { dst: 8, src: 0, size: 8 },
        Inst::MoveReg { dst: 16, src: 8, size: 8 },
        // The pointer followed and the argument both come from register 0.
        Inst::LoadReg { dst: 24, src: 1, size: 8 },
        call(&[(16, 8), (24, 8)], 4),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 2);
    assert_eq!(names(&f), ["LoadReg", "Call", "Return"]);
    let Inst::LoadReg { src, .. } = f.code[0] else { unreachable!() };
    assert!(matches!(f.places[src as usize].base, PlaceBase::Reg(0)));
    assert_eq!(f.places[src as usize].projs.len(), 1);
    let Inst::Call { args, target, .. } = &f.code[1] else { unreachable!() };
    assert!(matches!(args[..], [(Operand::Reg(0), 8), (Operand::Reg(24), 8)]));
    assert_eq!(*target, Some(Label(2)));
    assert_eq!(f.spans, [SpanId(2), SpanId(3), SpanId(4)]);
}

#[test]
fn a_write_to_either_side_ends_the_copy() {
    let mut f = func(vec![
        Inst::MoveReg { dst: 8, src: 0, size: 8 },
        Inst::ConstRegImm { dst: 0, value: 1, size: 8 },
        call(&[(8, 8)], 3),
        Inst::MoveReg { dst: 24, src: 16, size: 8 },
        Inst::ConstRegImm { dst: 24, value: 2, size: 4 },
        call(&[(24, 8), (0, 8)], 6),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 0);
    assert!(matches!(&f.code[2], Inst::Call { args, .. } if matches!(args[..], [(Operand::Reg(8), 8)])));
    assert!(matches!(&f.code[5], Inst::Call { args, .. } if matches!(args[..], [(Operand::Reg(24), 8), (Operand::Reg(0), 8)])));
}

#[test]
fn a_small_copy_is_read_at_its_source_by_arithmetic_only() {
    // A 4-byte copy leaves its word without provenance: an argument keeps reading it.
    let mut f = func(vec![
        Inst::MoveReg { dst: 8, src: 0, size: 4 },
        add(12, 8, 8, U32),
        call(&[(8, 4)], 3),
        Inst::MoveReg { dst: 32, src: 4, size: 4 },
        add(40, 32, 32, U32),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 1);
    assert_eq!(names(&f), ["MoveReg", "IntOp", "Call", "IntOp", "Return"]);
    assert!(matches!(f.code[1], Inst::IntOp { a: 0, b: 0, .. }));
    assert!(matches!(&f.code[2], Inst::Call { args, .. } if matches!(args[..], [(Operand::Reg(8), 4)])));
    assert!(matches!(f.code[3], Inst::IntOp { a: 4, b: 4, .. }));
}

#[test]
fn a_copy_made_on_one_path_only_is_not_read_through_after_the_join() {
    let ty = U64;
    let mut f = func(vec![
        Inst::SwitchInt { discr: Operand::Reg(48), ty, values: Box::new([0]), targets: Box::new([Label(1), Label(3)]) },
        Inst::MoveReg { dst: 8, src: 0, size: 8 },
        Inst::Goto { target: Label(4) },
        Inst::MoveReg { dst: 8, src: 56, size: 8 },
        add(16, 8, 8, ty),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 0);
    assert!(matches!(f.code[4], Inst::IntOp { a: 8, b: 8, .. }));
    // The same copy on both paths is one fact after the join.
    f.code[3] = Inst::MoveReg { dst: 8, src: 0, size: 8 };
    assert_eq!(propagate_copies(&mut f), 2);
    assert_eq!(names(&f), ["SwitchInt", "Goto", "IntOp", "Return"]);
    assert!(matches!(f.code[2], Inst::IntOp { a: 0, b: 0, .. }));
}

#[test]
fn a_check_of_the_value_reads_the_source_and_one_clearing_padding_its_own() {
    let nz = nonzero();
    // Two bytes of padding after a `u16`: the check makes them uninitialized (a write).
    let padded = Arc::new(Validity {
        size: 8,
        checks: vec![
            VCheck::Init { offset: 0, size: 2, expected: crate::Expected::Integer },
            VCheck::Padding { ranges: Box::new([(2, 6)]) },
        ],
    });
    let mut f = func(vec![
        Inst::MoveReg { dst: 8, src: 0, size: 8 },
        Inst::ValidateScalarReg { reg: 8, validity: nz.clone() },
        // (A check without padding writes nothing: the copy still holds after it.)
        add(16, 8, 8, U64),
        Inst::MoveReg { dst: 24, src: 32, size: 8 },
        Inst::ValidateScalarReg { reg: 24, validity: padded },
        add(40, 24, 24, U64),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 1);
    assert_eq!(names(&f), ["ValidateScalarReg", "IntOp", "MoveReg", "ValidateScalarReg", "IntOp", "Return"]);
    assert!(matches!(f.code[0], Inst::ValidateScalarReg { reg: 0, .. }));
    assert!(matches!(f.code[1], Inst::IntOp { a: 0, b: 0, .. }));
    assert!(matches!(f.code[3], Inst::ValidateScalarReg { reg: 24, .. }));
    assert!(matches!(f.code[4], Inst::IntOp { a: 24, b: 24, .. }));
}

#[test]
fn nothing_in_an_inlined_callees_registers_is_read_after_its_return() {
    // 0: the call (callee registers 64..96); 1: on return, read the value; 3..4: the body,
    // which returns its register 72, a copy of the caller's register 0.
    let mut f = func(vec![
        Inst::InlineEnter { regs: 64, size: 32, body: Label(3), protects: false, fresh_at: 0, fresh_len: 32 },
        add(104, 8, 8, U64),
        Inst::Return,
        Inst::MoveReg { dst: 72, src: 0, size: 8 },
        Inst::InlineReturn { dst: 8, src: 72, size: 8, target: Label(1), ends: crate::InlineEnd::Call, saved: 96 },
    ]);
    f.inlined = Box::new([crate::Inlined { start: 3, end: 5, callee: FnId(2), call: 0 }]);
    propagate_copies(&mut f);
    // The return reads register 0 itself, and the caller reads register 0 after it.
    assert!(f.code.iter().any(|i| matches!(i, Inst::InlineReturn { src: 0, .. })));
    assert!(f.code.iter().any(|i| matches!(i, Inst::IntOp { a: 0, b: 0, .. })));
    // A value the callee computed in its own registers is read at the caller's copy after
    // the return.
    let mut f = func(vec![
        Inst::InlineEnter { regs: 64, size: 32, body: Label(3), protects: false, fresh_at: 0, fresh_len: 32 },
        add(104, 8, 8, U64),
        Inst::Return,
        add(72, 0, 0, U64),
        Inst::InlineReturn { dst: 8, src: 72, size: 8, target: Label(1), ends: crate::InlineEnd::Call, saved: 96 },
    ]);
    f.inlined = Box::new([crate::Inlined { start: 3, end: 5, callee: FnId(2), call: 0 }]);
    propagate_copies(&mut f);
    assert!(matches!(f.code[1], Inst::IntOp { a: 8, b: 8, .. }), "{:?}", f.code[1]);
}

#[test]
fn a_small_copy_of_an_integer_result_is_exact() {
    // The sum holds no provenance, so its copy is read at the source by an argument too;
    // a small copy of a parameter (whose word may hold a pointer) is not.
    let mut f = func(vec![
        add(8, 0, 0, U32),
        Inst::MoveReg { dst: 16, src: 8, size: 4 },
        Inst::MoveReg { dst: 24, src: 4, size: 4 },
        call(&[(16, 4), (24, 4)], 4),
        Inst::Return,
    ]);
    assert_eq!(propagate_copies(&mut f), 1);
    assert_eq!(names(&f), ["IntOp", "MoveReg", "Call", "Return"]);
    assert!(matches!(&f.code[2], Inst::Call { args, .. } if matches!(args[..], [(Operand::Reg(8), 4), (Operand::Reg(24), 4)])));
}

#[test]
fn an_inlined_call_makes_fresh_only_what_its_callee_reads_before_writing() {
    // The callee (registers 64..96) writes 64 and 80 whole before reading them, and reads
    // `first` before writing it.
    let callee = |first: u32| {
        let mut f = func(vec![
            Inst::InlineEnter { regs: 64, size: 32, body: Label(3), protects: false, fresh_at: 0, fresh_len: 32 },
            Inst::MoveReg { dst: 0, src: 16, size: 8 },
            Inst::Return,
            Inst::ConstRegImm { dst: 64, value: 1, size: 8 },
            Inst::ConstRegImm { dst: 80, value: 2, size: 8 },
            add(88, 64, first, U64),
            add(88, 88, 80, U64),
            Inst::InlineReturn { dst: 16, src: 88, size: 8, target: Label(1), ends: crate::InlineEnd::Call, saved: 96 },
        ]);
        f.inlined = Box::new([crate::Inlined { start: 3, end: 8, callee: FnId(2), call: 0 }]);
        propagate_copies(&mut f);
        f.code[0].clone()
    };
    // Only the word read first must start uninitialized.
    assert!(matches!(callee(72), Inst::InlineEnter { fresh_at: 8, fresh_len: 8, .. }));
    // Reading nothing before writing it, the callee needs nothing made fresh.
    assert!(matches!(callee(80), Inst::InlineEnter { fresh_len: 0, .. }));
}

/// Where paths join, a copy of a copy holds on each though its first source differs.
#[test]
fn a_copy_of_a_copy_survives_a_join_with_a_plain_copy() {
    let ty = IntTy { size: 8, signed: false };
    let mut f = func(vec![
        Inst::MoveReg { dst: 8, src: 0, size: 8 },
        Inst::SwitchInt { discr: Operand::Reg(40), ty, values: Box::new([0]), targets: Box::new([Label(2), Label(4)]) },
        // Here 16 copies 8, itself a copy of 0...
        Inst::MoveReg { dst: 16, src: 8, size: 8 },
        Inst::Goto { target: Label(6) },
        // ... and here 8 alone.
        Inst::ConstRegImm { dst: 0, value: 5, size: 8 },
        Inst::MoveReg { dst: 16, src: 8, size: 8 },
        call(&[(16, 8), (0, 8)], 7),
        Inst::Return,
    ]);
    propagate_copies(&mut f);
    let Some(Inst::Call { args, .. }) = f.code.iter().find(|i| matches!(i, Inst::Call { .. })) else { unreachable!() };
    assert!(matches!(args[..], [(Operand::Reg(8), 8), (Operand::Reg(0), 8)]), "{args:?}");
}

/// An inlined callee's return of a value the caller overwrites before reading copies
/// nothing; one the caller reads is copied.
#[test]
fn a_return_nothing_reads_copies_nothing() {
    let enter = |body: u32| Inst::InlineEnter { regs: 64, size: 16, body: Label(body), protects: false, fresh_at: 0, fresh_len: 0 };
    let ret = |dst: u32, target: u32| Inst::InlineReturn {
        dst,
        src: 64,
        size: 8,
        target: Label(target),
        ends: crate::InlineEnd::Call,
        saved: 80,
    };
    let mut f = func(vec![
        enter(5),
        enter(7),
        Inst::ConstRegImm { dst: 0, value: 1, size: 8 },
        call(&[(0, 8), (8, 8)], 4),
        Inst::Return,
        Inst::ConstRegImm { dst: 64, value: 7, size: 8 },
        ret(0, 1),
        Inst::ConstRegImm { dst: 64, value: 9, size: 8 },
        ret(8, 2),
    ]);
    propagate_copies(&mut f);
    let sizes: Vec<(u32, u32)> =
        f.code.iter().filter_map(|i| if let Inst::InlineReturn { dst, size, .. } = *i { Some((dst, size)) } else { None }).collect();
    assert_eq!(sizes, [(0, 0), (8, 8)]);
}
