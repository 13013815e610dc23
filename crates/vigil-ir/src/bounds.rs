//! Register and code bounds, checked once when a function is installed: every register an
//! instruction names in a register field (`@reg` in the instruction table) lies, with the
//! width the instruction gives it, inside the function's frame; and every jump target lies
//! inside the code, which ends with an instruction that stops (so that going on to the next
//! instruction never leaves it). The interpreter relies on both to read and write those
//! registers, and to fetch instructions, without bounds checks on its hottest paths.
//!
//! The widths are declared here, in one exhaustive `match` with no catch-all arm: an
//! instruction added to the table does not compile until this file says which registers it
//! names and how wide they are. Jump targets are found through the table's own target
//! visitor, which no field type can leave out (`IrField`).

use crate::{Function, Inst};

/// A register field that reaches past the frame (a lowering bug): the function is not
/// installed.
#[derive(Debug, PartialEq, Eq)]
pub struct RegisterOutOfFrame {
    /// The instruction's index in `Function::code`.
    pub pc: usize,
    pub inst: &'static str,
    pub offset: u32,
    pub width: u32,
    pub frame_size: u32,
    /// The field is inside the frame, but its integer width has no register form.
    pub unsupported_width: bool,
    /// Not an instruction's field but the pointer a place dereferences first
    /// (`Function::places`, this index; `pc` and `inst` then say nothing).
    pub place: Option<u32>,
}

impl std::fmt::Display for RegisterOutOfFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (pc, inst, start, end) = (self.pc, self.inst, self.offset, self.offset as u64 + self.width as u64);
        if let Some(place) = self.place {
            return write!(f, "place p{place} dereferences register bytes {start}..{end} outside its frame of {} bytes", self.frame_size);
        }
        if self.unsupported_width {
            return write!(f, "instruction @{pc} ({inst}) is a register form of an integer width it does not handle");
        }
        write!(f, "instruction @{pc} ({inst}) names register bytes {start}..{end} outside its frame of {} bytes", self.frame_size)
    }
}

/// A jump target outside the code (a lowering bug): the function is not installed.
#[derive(Debug, PartialEq, Eq)]
pub struct TargetOutOfCode {
    /// The instruction's index in `Function::code`.
    pub pc: usize,
    pub inst: &'static str,
    pub target: u32,
    pub len: usize,
}

impl std::fmt::Display for TargetOutOfCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "instruction @{} ({}) jumps to @{}, outside its {} instructions", self.pc, self.inst, self.target, self.len)
    }
}

/// Ends `func`'s code with an instruction that stops (`Inst::EndOfCode`),
/// then checks that every jump target lies inside the code: from then on every program
/// counter the interpreter can reach (0, a jump target, or one past an instruction that
/// is not the last) is an index into the code. Fills `Function::thin_places` too (the
/// places no longer change).
pub fn seal_code(func: &mut Function) -> Result<(), TargetOutOfCode> {
    func.code.push(Inst::EndOfCode);
    let span = func.spans.last().copied().unwrap_or_default();
    func.spans.push(span);
    let len = func.code.len();
    for (pc, inst) in func.code.iter_mut().enumerate() {
        let mut bad = None;
        inst.for_each_target(&mut |l| {
            if bad.is_none() && l.0 as usize >= len {
                bad = Some(l.0);
            }
        });
        if let Some(target) = bad {
            return Err(TargetOutOfCode { pc, inst: inst.name(), target, len });
        }
    }
    func.thin_places = func
        .places
        .iter()
        .map(|p| match *p.projs {
            [crate::Proj::Deref { fat: false }] => 0,
            [crate::Proj::Deref { fat: false }, crate::Proj::Field { offset, .. }] if offset < crate::WIDE_DEREF => offset,
            [crate::Proj::Deref { fat: true }] => crate::WIDE_DEREF,
            _ => crate::NOT_THIN,
        })
        .collect();
    Ok(())
}

impl Function {
    /// The code without the stop `seal_code` ends an installed function with (what inlining
    /// copies and counts).
    pub fn unsealed_code(&self) -> &[Inst] {
        match self.code.split_last() {
            Some((Inst::EndOfCode, body)) => body,
            _ => &self.code,
        }
    }
}

/// Calls `f(offset, width)` for every register field of `inst`, with the bytes the
/// interpreter accesses there.
pub fn for_each_register(inst: &Inst, mut f: impl FnMut(u32, u32)) {
    // The bytes an integer operation writes: a `bool` for a comparison, the value and then
    // the flag for a `*WithOverflow` operation.
    let int_result = |op: crate::IntOp, size: u8| match () {
        _ if op.is_comparison() => 1,
        _ if op.has_overflow_flag() => size as u32 + 1,
        _ => size as u32,
    };
    match *inst {
        Inst::MoveReg { dst, src, size } => {
            f(src, size);
            f(dst, size);
        }
        Inst::LoadReg { dst, size, .. } | Inst::ConstReg { dst, size, .. } | Inst::ConstRegImm { dst, size, .. } => f(dst, size),
        Inst::StoreReg { src, size, .. } => f(src, size),
        Inst::IntOp { op, ty, dst, a, b } | Inst::IntOpBranch { op, ty, dst, a, b, .. } => {
            f(a, ty.size as u32);
            f(b, ty.size as u32);
            f(dst, int_result(op, ty.size));
        }
        Inst::IntOpImm { op, ty, dst, a, .. } | Inst::IntOpImmBranch { op, ty, dst, a, .. } => {
            f(a, ty.size as u32);
            f(dst, int_result(op, ty.size));
        }
        Inst::FloatOp { op, ty, dst, a, b } => {
            let size = if ty == crate::FloatTy::F32 { 4 } else { 8 };
            f(a, size);
            f(b, size);
            f(dst, op.result_size(size));
        }
        Inst::IntCast { from, to, dst, src } => {
            f(src, from.size as u32);
            f(dst, to.size as u32);
        }
        // The callee's registers, and after them the caller's call id while a protecting
        // inlined call runs.
        // (The part made fresh lies inside the callee's registers, or no width fits.)
        Inst::InlineEnter { regs, size, protects, fresh_at, fresh_len, .. } => {
            let inside = fresh_at.checked_add(fresh_len).is_some_and(|end| end <= size);
            f(regs, if inside { size + if protects { 8 } else { 0 } } else { u32::MAX })
        }
        Inst::Uninit { reg, size } => f(reg, size),
        Inst::InlineReturn { dst, src, size, ends, saved, .. } => {
            f(src, size);
            f(dst, size);
            if ends.protects() {
                f(saved, 8);
            }
        }
        // (The interpreter reads the bytes of each initialization check.)
        Inst::ValidateInitReg { reg, ref validity } => {
            let checked = validity.checks.iter().map(|c| match *c {
                crate::VCheck::Init { offset, size, .. } => offset.saturating_add(size),
                _ => 0,
            });
            f(reg, checked.fold(validity.size, u32::max))
        }
        Inst::ValidateScalarReg { reg, ref validity } => f(reg, validity.size),
        // (The interpreter reads a pointer's word first, whatever the validity's size.)
        Inst::ValidateRefReg { reg, ref validity, .. } => f(reg, validity.size.max(8)),
        // No register field (registers inside operands and places are checked where they
        // are used).
        Inst::Move { .. }
        | Inst::BinOp { .. }
        | Inst::UnOp { .. }
        | Inst::Cast { .. }
        | Inst::Ref { .. }
        | Inst::Discriminant { .. }
        | Inst::SetDiscriminant { .. }
        | Inst::Repeat { .. }
        | Inst::Unsize { .. }
        | Inst::StorageLive { .. }
        | Inst::StorageDead { .. }
        | Inst::Assume { .. }
        | Inst::Goto { .. }
        | Inst::SwitchInt { .. }
        | Inst::Assert { .. }
        | Inst::Call { .. }
        | Inst::FnPtr { .. }
        | Inst::TailCall { .. }
        | Inst::Return
        | Inst::Unreachable
        | Inst::UnwindResume
        | Inst::UnwindTerminate
        | Inst::Validate { .. }
        | Inst::RetagRaw { .. }
        | Inst::ThreadLocalRef { .. }
        | Inst::ProtectInPlace { .. }
        | Inst::CheckScalar { .. }
        | Inst::Unsupported { .. }
        | Inst::EndOfCode
        | Inst::Ub { .. }
        | Inst::LinkError { .. } => {}
    }
}

/// The widths the register forms handle (`IntOp` and kin, `IntCast`, `LoadReg`,
/// `StoreReg`): the interpreter reads and writes exactly these.
fn register_int_widths_ok(inst: &Inst) -> bool {
    let ok = |size: u8| matches!(size, 1 | 2 | 4 | 8);
    match *inst {
        Inst::IntOp { ty, .. } | Inst::IntOpImm { ty, .. } | Inst::IntOpBranch { ty, .. } | Inst::IntOpImmBranch { ty, .. } => ok(ty.size),
        Inst::IntCast { from, to, .. } => ok(from.size) && ok(to.size),
        Inst::LoadReg { size, .. } | Inst::StoreReg { size, .. } | Inst::ConstRegImm { size, .. } => matches!(size, 1 | 2 | 4 | 8),
        _ => true,
    }
}

/// Checks that every register field of `func` lies inside its frame (`for_each_register`),
/// and that every register-form integer operation, load and store is of a width the
/// interpreter handles (1, 2, 4 or 8 bytes).
pub fn check_register_bounds(func: &Function) -> Result<(), RegisterOutOfFrame> {
    let frame_size = func.frame_size;
    for (pc, inst) in func.code.iter().enumerate() {
        let mut bad = None;
        for_each_register(inst, |offset, width| {
            if bad.is_none() && offset as u64 + width as u64 > frame_size as u64 {
                bad = Some((offset, width, false));
            }
        });
        if bad.is_none() && !register_int_widths_ok(inst) {
            // (Named by its first register field.)
            for_each_register(inst, |offset, width| {
                bad.get_or_insert((offset, width, true));
            });
        }
        if let Some((offset, width, unsupported_width)) = bad {
            return Err(RegisterOutOfFrame { pc, inst: inst.name(), offset, width, frame_size, unsupported_width, place: None });
        }
    }
    // A place that starts with a dereference reads its pointer (and a wide one's metadata)
    // from the register at its base.
    for (i, place) in func.places.iter().enumerate() {
        let crate::PlaceBase::Reg(offset) = place.base;
        let width = match place.projs.first() {
            Some(crate::Proj::Deref { fat: false }) => 8,
            Some(crate::Proj::Deref { fat: true }) => 16,
            _ => continue,
        };
        if offset as u64 + width as u64 > frame_size as u64 {
            let place = Some(i as u32);
            return Err(RegisterOutOfFrame { pc: 0, inst: "", offset, width, frame_size, unsupported_width: false, place });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IntOp, IntTy, Label, Place, RefVisitor};

    const U64: IntTy = IntTy { size: 8, signed: false };

    #[test]
    fn a_register_reaching_past_the_frame_is_refused() {
        let add = |dst| Inst::IntOp { op: IntOp::Add, ty: U64, dst, a: 0, b: 8 };
        assert_eq!(check_register_bounds(&Function::bare(24, vec![add(16)])), Ok(()));
        let err = check_register_bounds(&Function::bare(24, vec![add(16), add(17)])).unwrap_err();
        assert_eq!((err.pc, err.inst, err.offset, err.width), (1, "IntOp", 17, 8));
        // The overflow flag is written after the value.
        let checked = Inst::IntOp { op: IntOp::AddWithOverflow, ty: U64, dst: 16, a: 0, b: 8 };
        assert!(check_register_bounds(&Function::bare(24, vec![checked.clone()])).is_err());
        assert!(check_register_bounds(&Function::bare(25, vec![checked])).is_ok());
        // A comparison writes one byte.
        let lt = Inst::IntOpBranch { op: IntOp::Lt, ty: U64, dst: 23, a: 0, b: 8, if_true: Label(0), if_false: Label(0) };
        assert!(check_register_bounds(&Function::bare(24, vec![lt])).is_ok());
        // A protecting inlined call keeps the caller's call id after the callee's registers.
        let enter = |protects| Inst::InlineEnter { regs: 8, size: 8, body: Label(0), protects, fresh_at: 0, fresh_len: 8 };
        assert!(check_register_bounds(&Function::bare(16, vec![enter(false)])).is_ok());
        assert!(check_register_bounds(&Function::bare(16, vec![enter(true)])).is_err());
        let past = Inst::InlineEnter { regs: 8, size: 8, body: Label(0), protects: false, fresh_at: 4, fresh_len: 8 };
        assert!(check_register_bounds(&Function::bare(64, vec![past])).is_err());
        // A place's first dereference reads a whole word (two for a wide pointer).
        let mut f = Function::bare(16, vec![]);
        f.places.push(Place { base: crate::PlaceBase::Reg(8), projs: Box::new([crate::Proj::Deref { fat: false }]), align: 1 });
        assert!(check_register_bounds(&f).is_ok());
        f.places.push(Place { base: crate::PlaceBase::Reg(8), projs: Box::new([crate::Proj::Deref { fat: true }]), align: 1 });
        assert_eq!(check_register_bounds(&f).unwrap_err().place, Some(1));
        // Register forms handle integers of 1, 2, 4 or 8 bytes only.
        let wide = Inst::IntOp { op: IntOp::Add, ty: IntTy { size: 16, signed: false }, dst: 32, a: 0, b: 16 };
        assert!(check_register_bounds(&Function::bare(64, vec![wide])).is_err());
        assert!(check_register_bounds(&Function::bare(64, vec![Inst::LoadReg { dst: 0, src: 0, size: 3 }])).is_err());
        let mv = Inst::MoveReg { dst: 0, src: u32::MAX, size: 8 };
        assert!(check_register_bounds(&Function::bare(16, vec![mv])).is_err(), "no overflow of offset + width");
    }

    #[test]
    fn sealing_tells_the_thin_and_wide_dereferences_apart() {
        use crate::{NOT_THIN, PlaceBase, Proj, WIDE_DEREF};
        let place = |projs: Vec<Proj>| Place { base: PlaceBase::Reg(8), projs: projs.into(), align: 1 };
        let mut f = Function::bare(16, vec![Inst::Return]);
        f.places = vec![
            Place::reg(0),
            place(vec![Proj::Deref { fat: false }]),
            place(vec![Proj::Deref { fat: false }, Proj::Field { offset: 12, keep_meta: false }]),
            place(vec![Proj::Deref { fat: true }]),
            place(vec![
                Proj::Deref { fat: false },
                Proj::Field { offset: 4, keep_meta: false },
                Proj::Field { offset: 4, keep_meta: false },
            ]),
            place(vec![Proj::Field { offset: 4, keep_meta: false }, Proj::Deref { fat: false }]),
            place(vec![Proj::Deref { fat: true }, Proj::Field { offset: 0, keep_meta: false }]),
            // (An offset that would read as a mark is no thin place.)
            place(vec![Proj::Deref { fat: false }, Proj::Field { offset: WIDE_DEREF, keep_meta: false }]),
        ];
        seal_code(&mut f).unwrap();
        assert_eq!(*f.thin_places, [NOT_THIN, 0, 12, WIDE_DEREF, NOT_THIN, NOT_THIN, NOT_THIN, NOT_THIN]);
    }

    #[test]
    fn sealed_code_ends_in_a_stop_and_keeps_its_targets_inside() {
        let goto = |t| Inst::Goto { target: Label(t) };
        let mut f = Function::bare(8, vec![goto(1), goto(0)]);
        assert_eq!(seal_code(&mut f), Ok(()));
        assert_eq!((f.code.len(), f.spans.len()), (3, 3));
        assert!(matches!(&f.code[2], Inst::EndOfCode));
        assert_eq!(f.unsealed_code().len(), 2);
        // The end itself is a valid target; past it is not.
        assert_eq!(seal_code(&mut Function::bare(8, vec![goto(1)])), Ok(()));
        let err = seal_code(&mut Function::bare(8, vec![goto(0), goto(3)])).unwrap_err();
        assert_eq!((err.pc, err.inst, err.target, err.len), (1, "Goto", 3, 3));
        let unpatched = Inst::IntOpImmBranch { op: IntOp::Lt, ty: U64, dst: 0, a: 0, imm: 0, if_true: Label(0), if_false: Label(u32::MAX) };
        assert!(seal_code(&mut Function::bare(8, vec![unpatched])).is_err());
    }

    /// Every register field the instruction table marks (`@reg`) has a width here.
    #[test]
    fn every_register_field_has_a_width() {
        struct Regs(Vec<u32>);
        impl RefVisitor for Regs {
            fn reg(&mut self, r: &mut u32) {
                self.0.push(*r);
            }
            fn place(&mut self, _: &mut crate::PlaceId) {}
            fn konst(&mut self, _: &mut crate::ConstId) {}
            fn local(&mut self, _: &mut u32) {}
        }
        let validity = std::sync::Arc::new(crate::Validity { size: 8, checks: Vec::new() });
        let samples = [
            Inst::MoveReg { dst: 1, src: 2, size: 3 },
            Inst::LoadReg { dst: 1, src: 0, size: 8 },
            Inst::StoreReg { dst: 0, src: 1, size: 8 },
            Inst::ConstReg { dst: 1, src: 0, size: 8 },
            Inst::IntOp { op: IntOp::Add, ty: U64, dst: 1, a: 2, b: 3 },
            Inst::FloatOp { op: crate::BinOp::Add, ty: crate::FloatTy::F64, dst: 1, a: 2, b: 3 },
            Inst::IntCast { from: U64, to: U64, dst: 1, src: 2 },
            Inst::IntOpImm { op: IntOp::Add, ty: U64, dst: 1, a: 2, imm: 0 },
            Inst::IntOpBranch { op: IntOp::Lt, ty: U64, dst: 1, a: 2, b: 3, if_true: Label(0), if_false: Label(0) },
            Inst::IntOpImmBranch { op: IntOp::Lt, ty: U64, dst: 1, a: 2, imm: 0, if_true: Label(0), if_false: Label(0) },
            Inst::InlineEnter { regs: 1, size: 8, body: Label(0), protects: false, fresh_at: 0, fresh_len: 8 },
            Inst::InlineReturn { dst: 1, src: 2, size: 8, target: Label(0), ends: crate::InlineEnd::Protectors, saved: 3 },
            Inst::ValidateInitReg { reg: 1, validity: validity.clone() },
            Inst::ValidateScalarReg { reg: 1, validity: validity.clone() },
            Inst::ValidateRefReg { reg: 1, validity, nullable: false, unobserved: crate::Unobserved::No, retag: crate::RetagMode::None },
        ];
        for mut inst in samples {
            let mut named = Regs(Vec::new());
            inst.for_each_ref(&mut named);
            let mut widths = Vec::new();
            for_each_register(&inst, |off, _| widths.push(off));
            named.0.sort_unstable();
            widths.sort_unstable();
            assert_eq!(named.0, widths, "{}", inst.name());
        }
    }
}
