//! Scalar validations that repeat one already made on the same register bytes, or check
//! only the initialization of an operation's result: found by a forward dataflow over the
//! function and removed.
//!
//! A value is validated where MIR copies it with its type, so one value is often checked
//! several times while its bytes do not change: an inlined callee validates what it
//! returns, the caller validates the call's result again, and the moves of MIR's
//! temporaries that follow validate each copy. A `ValidateScalarReg` or `ValidateInitReg`
//! checks only the value's own bytes (initialization, ranges, `bool`s, `char`s, an enum's
//! tag; no pointee, no memory), and what it changes (an enum variant's padding made
//! uninitialized) it leaves as a second check would: so a check whose bytes passed the same
//! checks (or more) and were not written since cannot fail and changes nothing. Such checks
//! are removed.
//!
//! The facts are "register bytes `[reg, reg + size)` pass validity `V`", made by a
//! validation, and "... are initialized", made by an integer or float operation (whose
//! result is, or the program stopped) and implying checks of initialization alone; both are
//! carried by register copies (`MoveReg`, `InlineReturn`) to their destination, and ended by
//! anything that may write a byte of them. What an instruction may write is
//! over-approximated: every instruction not listed in `may_write` ends every fact, so a
//! new instruction can only cost a removal, never make a wrong one.

use std::sync::Arc;

use crate::dataflow::{Writes, add_bounded, may_write, number_written};
use crate::{Function, Inst, VCheck, Validity};

/// Facts kept per program point, at most (the newest kept): the repeats lie a few
/// instructions apart, and every write scans the facts.
const MAX_FACTS: usize = 8;
/// Functions longer than this are left as they are (lowering time).
const MAX_CODE: usize = 1 << 16;

/// "Register bytes `[reg, reg + size)` pass `v`" (`size` is `v`'s), or with `v` `None`,
/// "... are initialized" (an integer or float operation's result).
#[derive(Clone, Copy)]
struct Fact<'a> {
    reg: u32,
    size: u32,
    v: Option<&'a Arc<Validity>>,
}

impl Fact<'_> {
    fn range(&self) -> (u64, u64) {
        (self.reg as u64, self.reg as u64 + self.size as u64)
    }

    fn same(&self, other: &Fact<'_>) -> bool {
        self.reg == other.reg
            && self.size == other.size
            && match (self.v, other.v) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }

    /// Whether the bytes of this fact pass `w` (checks of the bytes at `self.reg`).
    fn implies(&self, w: &Arc<Validity>) -> bool {
        match self.v {
            Some(v) => implies(v, w),
            // Initialized bytes pass checks of their initialization alone.
            None => w.checks.iter().all(|c| matches!(*c, VCheck::Init { offset, size, .. } if offset + size <= self.size)),
        }
    }
}

/// Removes every `ValidateScalarReg` and `ValidateInitReg` of `f` that repeats checks
/// already passed by the same unchanged register bytes; returns how many it removed.
pub fn remove_repeated_validations(f: &mut Function) -> usize {
    let checks = f.code.iter().filter(|i| matches!(i, Inst::ValidateScalarReg { .. } | Inst::ValidateInitReg { .. })).count();
    if f.code.len() > MAX_CODE || checks == 0 {
        return 0;
    }
    let repeated = find_repeated(f);
    let count = repeated.iter().filter(|&&r| r).count();
    if count > 0 {
        f.remove_code(&repeated);
    }
    count
}

/// Per instruction, whether it is a validation that repeats one made.
fn find_repeated(f: &Function) -> Vec<bool> {
    let mut repeated = vec![false; f.code.len()];
    crate::dataflow::forward(f, Fact::same, transfer, |pc, facts| {
        if let Inst::ValidateScalarReg { reg, validity } | Inst::ValidateInitReg { reg, validity } = &f.code[pc] {
            repeated[pc] = implied(facts, *reg, validity);
        }
    });
    repeated
}

/// Whether `facts` say that the bytes at `reg` pass `v`.
fn implied(facts: &[Fact], reg: u32, v: &Arc<Validity>) -> bool {
    facts.iter().any(|fact| fact.reg == reg && fact.implies(v))
}

/// The facts after `inst`, from those before it.
fn transfer<'a>(f: &'a Function, _pc: usize, inst: &'a Inst, facts: &mut Vec<Fact<'a>>) {
    match inst {
        Inst::ValidateScalarReg { reg, validity } | Inst::ValidateInitReg { reg, validity } => {
            if implied(facts, *reg, validity) {
                // (Removed: it changes nothing.)
                return;
            }
            let new = Fact { reg: *reg, size: validity.size, v: Some(validity) };
            // (A check that fails stops the program: after it, the bytes passed.)
            kill(facts, new.range());
            if value_only(validity) {
                add(facts, new);
            }
        }
        &Inst::MoveReg { dst, src, size } | &Inst::InlineReturn { dst, src, size, .. } => {
            if let Inst::InlineReturn { ends, saved, .. } = inst
                && ends.protects()
            {
                kill(facts, (*saved as u64, *saved as u64 + 8));
            }
            // A copy keeps every byte's value and initialization, and the provenance of
            // whole pointers when source and destination lie alike within their words
            // (`Machine::copy_field_regs`). Else only pointer fragments can be lost, which
            // no check of a value smaller than a pointer accepts.
            let (s, d, len) = (src as u64, dst as u64, size as u64);
            let exact = (s % 8 == d % 8 || len < 8) && (s + len <= d || d + len <= s);
            // (At most a few facts hold about one register: more are not carried.)
            let mut copied: [Option<Fact>; 4] = [None; 4];
            if exact {
                for (slot, fact) in copied.iter_mut().zip(facts.iter().filter(|fact| fact.reg == src && fact.size == size)) {
                    *slot = Some(*fact);
                }
            }
            // (Initialized bytes stay so in any copy of part of them.)
            let init = facts.iter().any(|fact| fact.v.is_none() && fact.reg as u64 <= s && s + len <= fact.range().1);
            kill(facts, (d, d + len));
            for fact in copied.into_iter().flatten() {
                add(facts, Fact { reg: dst, ..fact });
            }
            if init && (s + len <= d || d + len <= s) && !copied.iter().flatten().any(|c| c.v.is_none()) {
                add(facts, Fact { reg: dst, size, v: None });
            }
        }
        _ => {
            match may_write(f, inst) {
                Writes::None => {}
                Writes::Range(s, e) => kill(facts, (s, e)),
                Writes::All => facts.clear(),
            }
            // An integer or float operation's result is initialized (a constant integer too).
            if let Some((reg, size)) = number_written(inst) {
                add(facts, Fact { reg, size, v: None });
            }
        }
    }
}

/// Ends the facts about any byte of `[s, e)`.
fn kill(facts: &mut Vec<Fact>, (s, e): (u64, u64)) {
    if s < e {
        facts.retain(|fact| {
            let (a, b) = fact.range();
            b <= s || e <= a
        });
    }
}

fn add<'a>(facts: &mut Vec<Fact<'a>>, fact: Fact<'a>) {
    add_bounded(facts, fact, MAX_FACTS)
}

/// Whether passing `v` depends on the value's bytes alone (not on memory or the aliasing
/// model), so that the same bytes pass it again.
fn value_only(v: &Validity) -> bool {
    v.checks.iter().all(|c| match c {
        VCheck::Init { .. } | VCheck::Bool { .. } | VCheck::Char { .. } | VCheck::Range { .. } | VCheck::Padding { .. } => true,
        VCheck::Enum { variants, .. } => variants.iter().all(value_only),
        VCheck::Array { elem, .. } => value_only(elem),
        VCheck::Ref { .. }
        | VCheck::FnPtr { .. }
        | VCheck::Vtable { .. }
        | VCheck::Uninhabited { .. }
        | VCheck::PtrToUninhabited { .. } => false,
    })
}

/// Whether every value passing `v` (a fact's validity, `value_only`) passes `w`: the same
/// validity, or `w`'s checks are simple ones (initialization, `bool`, `char`, range) that
/// `v` makes too, over the same bytes.
fn implies(v: &Arc<Validity>, w: &Arc<Validity>) -> bool {
    Arc::ptr_eq(v, w) || (v.size == w.size && w.checks.iter().all(|c| v.checks.iter().any(|d| same_simple_check(c, d))))
}

fn same_simple_check(a: &VCheck, b: &VCheck) -> bool {
    match (a, b) {
        (VCheck::Init { offset, size, expected }, VCheck::Init { offset: o, size: s, expected: e }) => {
            (offset, size, expected) == (o, s, e)
        }
        (VCheck::Bool { offset }, VCheck::Bool { offset: o }) | (VCheck::Char { offset }, VCheck::Char { offset: o }) => offset == o,
        (VCheck::Range { offset, size, start, end }, VCheck::Range { offset: o, size: s, start: a, end: b }) => {
            (offset, size, start, end) == (o, s, a, b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Expected, Label, Place, PlaceBase, Proj, SpanId};

    fn validity(checks: Vec<VCheck>) -> Arc<Validity> {
        Arc::new(Validity { size: 8, checks })
    }

    fn nonzero() -> Arc<Validity> {
        validity(vec![
            VCheck::Init { offset: 0, size: 8, expected: Expected::Integer },
            VCheck::Range { offset: 0, size: 8, start: 1, end: u64::MAX as u128 },
        ])
    }

    fn init() -> Arc<Validity> {
        validity(vec![VCheck::Init { offset: 0, size: 8, expected: Expected::Integer }])
    }

    fn func(code: Vec<Inst>) -> Function {
        // Place 0: register bytes from 8; place 1: memory behind the pointer at 16.
        Function {
            spans: (0..code.len() as u32).map(SpanId).collect(),
            places: vec![Place::reg(8), Place { base: PlaceBase::Reg(16), projs: Box::new([Proj::Deref { fat: false }]), align: 8 }],
            ..Function::bare(64, code)
        }
    }

    fn scalar(reg: u32, v: &Arc<Validity>) -> Inst {
        Inst::ValidateScalarReg { reg, validity: v.clone() }
    }

    /// To `zero` when register 0 holds 0, else to `other`.
    fn switch_on_r0(zero: Label, other: Label) -> Inst {
        let ty = crate::IntTy { size: 8, signed: false };
        Inst::SwitchInt { discr: crate::Operand::Reg(0), ty, values: Box::new([0]), targets: Box::new([zero, other]) }
    }

    fn names(f: &Function) -> Vec<&'static str> {
        f.code.iter().map(|i| i.name()).collect()
    }

    #[test]
    fn a_repeated_check_of_unchanged_or_copied_bytes_is_removed() {
        let (nz, init) = (nonzero(), init());
        let mut f = func(vec![
            Inst::LoadReg { dst: 0, src: 1, size: 8 },
            scalar(0, &nz),
            // The same check again, a weaker one, and one of a copy.
            scalar(0, &nz),
            Inst::ValidateInitReg { reg: 0, validity: init.clone() },
            Inst::MoveReg { dst: 24, src: 0, size: 8 },
            scalar(24, &nz),
            // A write to memory leaves the registers alone.
            Inst::StoreReg { dst: 1, src: 24, size: 8 },
            scalar(24, &nz),
            Inst::Return,
        ]);
        assert_eq!(remove_repeated_validations(&mut f), 4);
        assert_eq!(names(&f), ["LoadReg", "ValidateScalarReg", "MoveReg", "StoreReg", "Return"]);
        assert_eq!(f.spans, [SpanId(0), SpanId(1), SpanId(4), SpanId(6), SpanId(8)]);
    }

    #[test]
    fn a_check_after_a_write_a_stronger_check_or_a_join_stays() {
        let (nz, init) = (nonzero(), init());
        let mut f = func(vec![
            Inst::LoadReg { dst: 0, src: 1, size: 8 },
            Inst::ValidateInitReg { reg: 0, validity: init.clone() },
            // Stronger than what was checked: stays.
            scalar(0, &nz),
            // The register written between: stays.
            Inst::LoadReg { dst: 4, src: 1, size: 8 },
            scalar(0, &nz),
            // A join: from @5 with the check made, from @7 after a write (that path's
            // facts come second): stays.
            switch_on_r0(Label(6), Label(8)),
            Inst::LoadReg { dst: 0, src: 1, size: 8 },
            Inst::Goto { target: Label(8) },
            scalar(0, &nz),
            // A copy of unchecked bytes over checked ones: stays.
            scalar(16, &nz),
            Inst::MoveReg { dst: 16, src: 40, size: 8 },
            scalar(16, &nz),
            // An instruction the pass does not model ends every fact.
            Inst::Call {
                callee: crate::Callee::Fn(crate::FnId(1)),
                args: Box::new([]),
                dst: 0,
                ret_size: 0,
                target: Some(Label(13)),
                unwind: crate::Unwind::Continue,
                caller_location: None,
            },
            scalar(0, &nz),
            Inst::Return,
        ]);
        assert_eq!(remove_repeated_validations(&mut f), 0);
    }

    #[test]
    fn a_check_of_an_integer_results_initialization_is_removed() {
        let (nz, init) = (nonzero(), init());
        let u64 = crate::IntTy { size: 8, signed: false };
        let mut f = func(vec![
            Inst::IntOp { op: crate::IntOp::Add, ty: u64, dst: 0, a: 8, b: 8 },
            Inst::ValidateInitReg { reg: 0, validity: init.clone() },
            // A copy of the sum without its overflow flag is initialized too.
            Inst::IntOpImm { op: crate::IntOp::AddWithOverflow, ty: u64, dst: 24, a: 8, imm: 1 },
            Inst::MoveReg { dst: 40, src: 24, size: 8 },
            Inst::ValidateInitReg { reg: 40, validity: init.clone() },
            // A range is more than initialization: checked.
            scalar(40, &nz),
            // Bytes loaded from memory may be uninitialized: checked.
            Inst::LoadReg { dst: 0, src: 1, size: 8 },
            Inst::ValidateInitReg { reg: 0, validity: init },
            Inst::Return,
        ]);
        assert_eq!(remove_repeated_validations(&mut f), 2);
        assert_eq!(names(&f), ["IntOp", "IntOpImm", "MoveReg", "ValidateScalarReg", "LoadReg", "ValidateInitReg", "Return"]);
    }

    #[test]
    fn labels_and_inlined_ranges_follow_the_removal() {
        let nz = nonzero();
        let mut f = func(vec![
            Inst::LoadReg { dst: 0, src: 1, size: 8 },
            scalar(0, &nz),
            Inst::Goto { target: Label(3) },
            // A removed jump target: jumps go to what follows it.
            scalar(0, &nz),
            switch_on_r0(Label(3), Label(5)),
            Inst::Return,
        ]);
        f.inlined = Box::new([crate::Inlined { start: 3, end: 5, callee: crate::FnId(2), call: 2 }]);
        assert_eq!(remove_repeated_validations(&mut f), 1);
        assert_eq!(names(&f), ["LoadReg", "ValidateScalarReg", "Goto", "SwitchInt", "Return"]);
        assert!(matches!(f.code[2], Inst::Goto { target: Label(3) }));
        let Inst::SwitchInt { targets, .. } = &f.code[3] else { unreachable!() };
        assert_eq!(&targets[..], [Label(3), Label(4)]);
        assert_eq!(&f.inlined[..], [crate::Inlined { start: 3, end: 4, callee: crate::FnId(2), call: 2 }]);
    }
}
