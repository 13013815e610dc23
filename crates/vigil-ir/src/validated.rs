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
const MAX_FACTS: usize = 16;
/// Functions longer than this are left as they are (lowering time).
const MAX_CODE: usize = 1 << 16;

/// What register bytes are known to pass.
#[derive(Clone, Copy)]
enum Passes<'a> {
    /// The checks of a validity (one whose passing depends on the bytes alone, `value_only`),
    /// whose size is the fact's.
    Checks(&'a Arc<Validity>),
    /// Checks of their initialization alone (an integer or float operation's result, or a
    /// copy of part of one).
    Init,
    /// A `bool`'s checks: one initialized byte holding 0 or 1 (a comparison's result).
    Bool,
}

/// "Register bytes `[reg, reg + size)` pass this".
#[derive(Clone, Copy)]
struct Fact<'a> {
    reg: u32,
    size: u32,
    passes: Passes<'a>,
}

impl Fact<'_> {
    fn range(&self) -> (u64, u64) {
        (self.reg as u64, self.reg as u64 + self.size as u64)
    }

    fn same(&self, other: &Fact<'_>) -> bool {
        self.reg == other.reg
            && self.size == other.size
            && match (self.passes, other.passes) {
                (Passes::Checks(a), Passes::Checks(b)) => Arc::ptr_eq(a, b),
                (Passes::Init, Passes::Init) | (Passes::Bool, Passes::Bool) => true,
                _ => false,
            }
    }

    /// What holds where paths with this fact and `other` join, when they are not the same:
    /// that the bytes are initialized, if both say so of all of them.
    fn weaken<'a>(&self, other: &Fact<'a>) -> Option<Fact<'a>> {
        let whole = self.reg == other.reg && self.size == other.size && self.all_initialized() && other.all_initialized();
        whole.then_some(Fact { reg: self.reg, size: self.size, passes: Passes::Init })
    }

    /// Whether the fact says that all its bytes are initialized.
    fn all_initialized(&self) -> bool {
        match self.passes {
            Passes::Init | Passes::Bool => true,
            Passes::Checks(v) => v.checks.iter().any(|c| match *c {
                VCheck::Init { offset: 0, size, .. } | VCheck::Range { offset: 0, size, .. } => size == v.size,
                VCheck::Bool { offset: 0 } => v.size == 1,
                VCheck::Char { offset: 0 } => v.size == 4,
                _ => false,
            }),
        }
    }

    /// Whether the bytes of this fact pass `w` (checks of the bytes at `self.reg`).
    fn implies(&self, w: &Arc<Validity>) -> bool {
        let init_within = |c: &VCheck, size: u32| matches!(*c, VCheck::Init { offset, size: n, .. } if offset + n <= size);
        match self.passes {
            Passes::Checks(v) => implies(v, w),
            Passes::Init => w.checks.iter().all(|c| init_within(c, self.size)),
            Passes::Bool => w.checks.iter().all(|c| init_within(c, 1) || matches!(*c, VCheck::Bool { offset: 0 })),
        }
    }

    /// Whether the bytes `[r, r + len)` lie inside this fact's and are initialized by it.
    fn initializes(&self, r: u32, len: u32) -> bool {
        self.reg <= r && r as u64 + len as u64 <= self.range().1 && self.all_initialized()
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
    crate::dataflow::forward(f, Fact::same, Fact::weaken, transfer, |pc, facts| {
        if let Inst::ValidateScalarReg { reg, validity } | Inst::ValidateInitReg { reg, validity } = &f.code[pc] {
            repeated[pc] = implied(facts, *reg, validity);
        }
    });
    repeated
}

/// Whether `facts` say that the bytes at `reg` pass `v`: a fact about them passes it, or
/// its checks are all of initialization, of bytes some facts say are initialized.
fn implied(facts: &[Fact], reg: u32, v: &Arc<Validity>) -> bool {
    let initialized = |c: &VCheck| match *c {
        VCheck::Init { offset, size, .. } => facts.iter().any(|fact| fact.initializes(reg + offset, size)),
        _ => false,
    };
    facts.iter().any(|fact| fact.reg == reg && fact.implies(v)) || (!v.checks.is_empty() && v.checks.iter().all(initialized))
}

/// The facts after `inst`, from those before it.
fn transfer<'a>(f: &'a Function, _pc: usize, inst: &'a Inst, facts: &mut Vec<Fact<'a>>) {
    match inst {
        Inst::ValidateScalarReg { reg, validity } | Inst::ValidateInitReg { reg, validity } => {
            if implied(facts, *reg, validity) {
                // (Removed: it changes nothing.)
                return;
            }
            let new = Fact { reg: *reg, size: validity.size, passes: Passes::Checks(validity) };
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
            let apart = s + len <= d || d + len <= s;
            let exact = (s % 8 == d % 8 || len < 8) && apart;
            // (At most a few facts hold about one register: more are not carried.)
            let mut copied: [Option<Fact>; 4] = [None; 4];
            let mut slots = copied.iter_mut();
            for fact in facts.iter() {
                let moved = match fact.passes {
                    Passes::Checks(_) if exact && fact.reg == src && fact.size == size => Some(Fact { reg: dst, ..*fact }),
                    // (Initialized bytes stay so in any copy of part of them, and a byte's
                    // value is copied exactly.)
                    Passes::Init if apart && fact.initializes(src, size) => Some(Fact { reg: dst, size, passes: Passes::Init }),
                    Passes::Init | Passes::Bool if apart && s <= fact.reg as u64 && fact.range().1 <= s + len => {
                        Some(Fact { reg: dst + (fact.reg - src), ..*fact })
                    }
                    _ => None,
                };
                if let Some(moved) = moved {
                    match slots.next() {
                        Some(slot) => *slot = Some(moved),
                        None => break,
                    }
                }
            }
            kill(facts, (d, d + len));
            for fact in copied.into_iter().flatten() {
                add(facts, fact);
            }
        }
        _ => {
            match may_write(f, inst) {
                Writes::None => {}
                Writes::Range(s, e) => kill(facts, (s, e)),
                Writes::All => facts.clear(),
            }
            // An integer or float operation's result is initialized (a constant integer too),
            // a comparison's is a `bool`.
            if let Some((reg, size)) = number_written(f, inst) {
                let passes = if comparison(inst) { Passes::Bool } else { Passes::Init };
                add(facts, Fact { reg, size, passes });
            }
        }
    }
}

/// Whether `inst` is an integer or float comparison (its result a `bool`).
fn comparison(inst: &Inst) -> bool {
    match *inst {
        Inst::IntOp { op, .. } | Inst::IntOpBranch { op, .. } | Inst::IntOpImm { op, .. } | Inst::IntOpImmBranch { op, .. } => {
            op.is_comparison()
        }
        Inst::FloatOp { op, .. } => op.is_comparison(),
        _ => false,
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
    fn a_comparisons_result_passes_a_bool_check_and_parts_of_copies_stay_initialized() {
        let u64 = crate::IntTy { size: 8, signed: false };
        let boolean = Arc::new(Validity { size: 1, checks: vec![VCheck::Bool { offset: 0 }] });
        let init = init();
        let mut f = func(vec![
            Inst::IntOp { op: crate::IntOp::Lt, ty: u64, dst: 0, a: 8, b: 8 },
            scalar(0, &boolean),
            // Two results side by side, copied at once: each half of the copy is initialized.
            Inst::IntOp { op: crate::IntOp::Add, ty: u64, dst: 16, a: 8, b: 8 },
            Inst::IntOp { op: crate::IntOp::Sub, ty: u64, dst: 24, a: 8, b: 8 },
            Inst::MoveReg { dst: 32, src: 16, size: 16 },
            Inst::ValidateInitReg { reg: 40, validity: init.clone() },
            // A sum is no `bool`: checked.
            scalar(16, &boolean),
            Inst::Return,
        ]);
        assert_eq!(remove_repeated_validations(&mut f), 2);
        assert_eq!(names(&f), ["IntOp", "IntOp", "IntOp", "MoveReg", "ValidateScalarReg", "Return"]);
    }

    /// Where a path with a checked value joins one with an arithmetic result, the value is
    /// initialized on both; and setting an enum's tag in registers writes the tag alone.
    #[test]
    fn a_join_keeps_what_both_paths_imply_and_a_tag_write_ends_only_the_tag() {
        let u64 = crate::IntTy { size: 8, signed: false };
        let init = init();
        let info = crate::DiscrInfo {
            kind: crate::DiscrKind::Direct { offset: 0, tag: u64 },
            values: Box::new([0, 1]),
            result: u64,
            uninhabited: Box::new([]),
            tag_valid: (0, 1),
            tag_dense: true,
        };
        let mut f = func(vec![
            switch_on_r0(Label(1), Label(4)),
            Inst::LoadReg { dst: 16, src: 1, size: 8 },
            Inst::ValidateInitReg { reg: 16, validity: init.clone() },
            // (From both sides.)
            Inst::Goto { target: Label(5) },
            Inst::IntOp { op: crate::IntOp::Add, ty: u64, dst: 16, a: 8, b: 8 },
            // Place 0 is register 8: its tag is bytes 8..16.
            Inst::SetDiscriminant { place: 0, info: Box::new(info), variant: 1 },
            Inst::ValidateInitReg { reg: 16, validity: init },
            Inst::Return,
        ]);
        assert_eq!(remove_repeated_validations(&mut f), 1);
        assert_eq!(names(&f), ["SwitchInt", "LoadReg", "ValidateInitReg", "Goto", "IntOp", "SetDiscriminant", "Return"]);
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
