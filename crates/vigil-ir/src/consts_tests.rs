//! Unit tests of `consts.rs` on hand-built functions.

use std::sync::Arc;

use super::*;
use crate::{BinOp, Callee, Expected, FnId, IntOp, IntTy, Label, Place, ScalarTy, SpanId, Unwind, VCheck, Validity};

const U32: IntTy = IntTy { size: 4, signed: false };
const U64: IntTy = IntTy { size: 8, signed: false };

/// `code` in a frame of 128 bytes; place 0 is register 64.
fn func(code: Vec<Inst>) -> Function {
    Function { spans: (0..code.len() as u32).map(SpanId).collect(), places: vec![Place::reg(64)], ..Function::bare(128, code) }
}

fn names(f: &Function) -> Vec<&'static str> {
    f.code.iter().map(|i| i.name()).collect()
}

/// A call reading `regs` (8 bytes each), then going on at `target`.
fn uses(regs: &[u32], target: u32) -> Inst {
    Inst::Call {
        callee: Callee::Fn(FnId(1)),
        args: regs.iter().map(|&r| (Operand::Reg(r), 8)).collect(),
        dst: 0,
        ret_size: 0,
        target: Some(Label(target)),
        unwind: Unwind::Continue,
        caller_location: None,
    }
}

fn checks(size: u32, checks: Vec<VCheck>) -> Arc<Validity> {
    Arc::new(Validity { size, checks })
}

#[test]
fn arithmetic_on_constants_becomes_the_constant_it_computes() {
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: 6, size: 8 },
        Inst::IntOpImm { op: IntOp::Mul, ty: U64, dst: 8, a: 0, imm: 7 },
        Inst::IntCast { from: U64, to: U32, dst: 16, src: 8 },
        uses(&[8, 16], 4),
        Inst::Return,
    ]);
    assert_eq!(fold_constants(&mut f), 2);
    // (The first constant is read no more.)
    assert_eq!(names(&f), ["ConstRegImm", "ConstRegImm", "Call", "Return"]);
    assert!(matches!(f.code[0], Inst::ConstRegImm { dst: 8, value: 42, size: 8 }));
    assert!(matches!(f.code[1], Inst::ConstRegImm { dst: 16, value: 42, size: 4 }));
}

#[test]
fn an_overflow_check_keeps_its_flag() {
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: u64::MAX, size: 8 },
        Inst::IntOpImm { op: IntOp::AddWithOverflow, ty: U64, dst: 8, a: 0, imm: 1 },
        uses(&[8, 16], 3),
        Inst::Return,
    ]);
    fold_constants(&mut f);
    let Inst::ConstReg { dst: 8, src, size: 9 } = f.code[0] else { panic!("{:?}", f.code[0]) };
    assert_eq!(&f.consts[src as usize].bytes[..], &[0, 0, 0, 0, 0, 0, 0, 0, 1]);
}

#[test]
fn branches_on_constants_become_jumps() {
    let ty = IntTy { size: 1, signed: false };
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: 1, size: 1 },
        // `SwitchInt` on 1: the second target.
        Inst::SwitchInt { discr: Operand::Reg(0), ty, values: Box::new([0]), targets: Box::new([Label(6), Label(2)]) },
        Inst::Assert { cond: Operand::Reg(0), expected: true, target: Label(3), fail: Label(6) },
        // A failing assertion stays.
        Inst::Assert { cond: Operand::Reg(0), expected: false, target: Label(4), fail: Label(6) },
        uses(&[0], 5),
        Inst::Return,
        Inst::Unreachable,
    ]);
    assert_eq!(fold_constants(&mut f), 2);
    assert!(matches!(f.code[1], Inst::Goto { target: Label(2) }));
    assert!(matches!(f.code[2], Inst::Goto { target: Label(3) }));
    assert!(matches!(f.code[3], Inst::Assert { .. }));
}

#[test]
fn a_fused_branch_becomes_a_jump_only_where_its_result_is_not_read() {
    let fused =
        |dst: u32, next: u32| Inst::IntOpImmBranch { op: IntOp::Lt, ty: U32, dst, a: 0, imm: 32, if_true: Label(next), if_false: Label(6) };
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: 13, size: 4 },
        fused(8, 3),
        Inst::Unreachable,
        // The result at 16 is read after the second branch, the one at 8 is not.
        fused(16, 5),
        Inst::Unreachable,
        uses(&[16], 6),
        Inst::Return,
    ]);
    assert_eq!(fold_constants(&mut f), 1);
    assert!(matches!(f.code[1], Inst::Goto { target: Label(3) }));
    assert!(matches!(f.code[3], Inst::IntOpImmBranch { dst: 16, .. }));
}

#[test]
fn checks_that_constants_pass_go_and_the_others_stay() {
    let boolean = checks(1, vec![VCheck::Bool { offset: 0 }]);
    let nonzero = checks(
        8,
        vec![
            VCheck::Init { offset: 0, size: 8, expected: Expected::Integer },
            VCheck::Range { offset: 0, size: 8, start: 1, end: u64::MAX as u128 },
        ],
    );
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: 1, size: 1 },
        Inst::ValidateScalarReg { reg: 0, validity: boolean.clone() },
        Inst::ConstRegImm { dst: 8, value: 0, size: 8 },
        // 0 is not in `1..`: the check reports as before.
        Inst::ValidateScalarReg { reg: 8, validity: nonzero.clone() },
        Inst::ConstRegImm { dst: 16, value: 2, size: 1 },
        Inst::ValidateScalarReg { reg: 16, validity: boolean },
        Inst::ConstRegImm { dst: 24, value: 5, size: 8 },
        Inst::ValidateScalarReg { reg: 24, validity: nonzero },
        uses(&[0, 8, 16, 24], 9),
        Inst::Return,
    ]);
    assert_eq!(fold_constants(&mut f), 2);
    assert_eq!(
        names(&f),
        ["ConstRegImm", "ConstRegImm", "ValidateScalarReg", "ConstRegImm", "ValidateScalarReg", "ConstRegImm", "Call", "Return"]
    );
}

#[test]
fn a_write_or_a_join_with_another_value_ends_what_is_known() {
    let ty = IntTy { size: 8, signed: false };
    let mut f = func(vec![
        Inst::ConstRegImm { dst: 0, value: 1, size: 8 },
        // Register 0 is 1 or 2 at 3.
        Inst::SwitchInt { discr: Operand::Reg(8), ty, values: Box::new([0]), targets: Box::new([Label(3), Label(2)]) },
        Inst::ConstRegImm { dst: 0, value: 2, size: 8 },
        Inst::IntOpImm { op: IntOp::Add, ty: U64, dst: 16, a: 0, imm: 1 },
        // A copy over part of register 0 ends what was known of all of it.
        Inst::ConstRegImm { dst: 24, value: 7, size: 8 },
        Inst::MoveReg { dst: 4, src: 32, size: 4 },
        Inst::IntOpImm { op: IntOp::Add, ty: U64, dst: 40, a: 0, imm: 1 },
        uses(&[16, 24, 40], 8),
        Inst::Return,
    ]);
    assert_eq!(fold_constants(&mut f), 0);
}

#[test]
fn unchecked_operations_fold_unless_ub_and_known_operands_become_constants() {
    let (u8t, u64t) = (IntTy { size: 1, signed: false }, ScalarTy::Int(U64));
    let unchecked = |op: BinOp, a: Operand, b: Operand| Inst::BinOp { op, lhs: u64t, rhs: u64t, dst: 0, a, b };
    let mut f = Function {
        // Place 0 is register 64, place 1 register 72.
        places: vec![Place::reg(64), Place::reg(72)],
        ..func(vec![
            Inst::ConstRegImm { dst: 0, value: 5, size: 8 },
            Inst::ConstRegImm { dst: 8, value: u64::MAX, size: 8 },
            unchecked(BinOp::AddUnchecked, Operand::Reg(0), Operand::Reg(0)),
            // UB when it runs: stays, but reads its operands as constants.
            Inst::BinOp { op: BinOp::AddUnchecked, lhs: u64t, rhs: u64t, dst: 1, a: Operand::Reg(8), b: Operand::Reg(0) },
            // A shift by a `u8` amount of 64 is UB too.
            Inst::ConstRegImm { dst: 16, value: 64, size: 1 },
            Inst::BinOp { op: BinOp::ShlUnchecked, lhs: u64t, rhs: ScalarTy::Int(u8t), dst: 1, a: Operand::Reg(24), b: Operand::Reg(16) },
            uses(&[64, 72], 7),
            Inst::Return,
        ])
    };
    fold_constants(&mut f);
    assert!(matches!(f.code[0], Inst::ConstRegImm { dst: 64, value: 10, size: 8 }), "{:?}", f.code);
    let Inst::BinOp { a: Operand::Const(a), b: Operand::Const(b), .. } = f.code[1] else { panic!("{:?}", f.code[1]) };
    assert_eq!((&f.consts[a as usize].bytes[..], &f.consts[b as usize].bytes[..]), (&[0xff; 8][..], &[5, 0, 0, 0, 0, 0, 0, 0][..]));
    assert!(matches!(f.code[2], Inst::BinOp { op: BinOp::ShlUnchecked, a: Operand::Reg(24), b: Operand::Const(_), .. }), "{:?}", f.code);
}
