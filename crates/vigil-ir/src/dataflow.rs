//! Forward dataflow of register facts over a function's blocks, for passes that rewrite or
//! remove instructions a fact makes useless (`validated.rs`, `copies.rs`, `consts.rs`).
//!
//! A pass gives its facts (small `Copy` values about register bytes), how an instruction
//! changes them, when two are the same, and what weaker fact two different ones both imply
//! (if any); facts hold at a block's start when they hold at the end of every block that
//! reaches it (kept while equal facts, or a weaker one, come from each), and the function's
//! start has none. `may_write` tells a pass which register bytes an instruction
//! may write, over-approximated.

use crate::elide::{Shape, int_result, shape};
use crate::{DiscrKind, Function, Inst, LocalSlot, PlaceId};

/// Carries facts to a fixed point, then calls `visit` with each instruction reached and the
/// facts that hold before it. `transfer` changes the facts across an instruction (given
/// with its index); `same` says when two facts are equal (joins keep a fact only if every
/// incoming path has it), and `weaken`, given a fact held so far at a join and one coming
/// in that is not the same, what weaker fact both imply, if one is kept.
pub(crate) fn forward<'a, T: Copy>(
    f: &'a Function,
    same: impl Fn(&T, &T) -> bool,
    weaken: impl Fn(&T, &T) -> Option<T>,
    transfer: impl Fn(&'a Function, usize, &'a Inst, &mut Vec<T>),
    mut visit: impl FnMut(usize, &[T]),
) {
    let n = f.code.len();
    if n == 0 {
        return;
    }
    let blocks = Blocks::of(f);
    // Incoming facts per block (`None`: not reached yet).
    let mut entry: Vec<Option<Vec<T>>> = vec![None; n];
    entry[0] = Some(Vec::new());
    let mut work = vec![0usize];
    let mut queued = vec![false; n];
    queued[0] = true;
    let mut facts = Vec::new();
    let mut next = Vec::new();
    while let Some(start) = work.pop() {
        queued[start] = false;
        facts.clear();
        facts.extend_from_slice(entry[start].as_deref().unwrap_or_default());
        let end = blocks.walk(f, start, &mut facts, &transfer, &mut |_, _| {});
        next.clear();
        crate::elide::successors(end, &f.code[end], &mut next);
        for &s in &next {
            if s >= n {
                continue;
            }
            let changed = match &mut entry[s] {
                slot @ None => {
                    *slot = Some(facts.clone());
                    true
                }
                Some(old) => {
                    let mut changed = false;
                    old.retain_mut(|a| {
                        if facts.iter().any(|b| same(a, b)) {
                            return true;
                        }
                        match facts.iter().find_map(|b| weaken(a, b)) {
                            Some(weaker) => {
                                // (Weakening must end: a weaker fact is kept as it is.)
                                changed |= !same(a, &weaker);
                                *a = weaker;
                                true
                            }
                            None => {
                                changed = true;
                                false
                            }
                        }
                    });
                    changed
                }
            };
            if changed && !queued[s] {
                queued[s] = true;
                work.push(s);
            }
        }
    }
    for (start, incoming) in entry.iter().enumerate() {
        if let Some(incoming) = incoming {
            facts.clear();
            facts.extend_from_slice(incoming);
            blocks.walk(f, start, &mut facts, &transfer, &mut visit);
        }
    }
}

/// Where the function's blocks start (the entry, and where control arrives other than by
/// falling through), and which instructions fall through to the next alone.
pub(crate) struct Blocks {
    pub(crate) leader: Vec<bool>,
    pub(crate) falls: Vec<bool>,
}

impl Blocks {
    /// Per instruction, the last instruction of its block.
    pub(crate) fn ends(&self) -> Vec<u32> {
        let n = self.leader.len();
        let mut last = vec![0u32; n];
        for pc in (0..n).rev() {
            last[pc] = if self.falls[pc] && pc + 1 < n && !self.leader[pc + 1] { last[pc + 1] } else { pc as u32 };
        }
        last
    }

    pub(crate) fn of(f: &Function) -> Blocks {
        let n = f.code.len();
        let mut leader = vec![false; n];
        let mut falls = vec![false; n];
        leader[0] = true;
        let mut next = Vec::new();
        for (pc, inst) in f.code.iter().enumerate() {
            next.clear();
            crate::elide::successors(pc, inst, &mut next);
            if next.as_slice() == [pc + 1] {
                falls[pc] = true;
            } else {
                next.iter().filter(|&&s| s < n).for_each(|&s| leader[s] = true);
            }
        }
        Blocks { leader, falls }
    }

    /// Carries `facts` through the block starting at `start`, calling `visit` with each
    /// instruction and the facts before it; returns the block's last instruction.
    fn walk<'a, T>(
        &self,
        f: &'a Function,
        start: usize,
        facts: &mut Vec<T>,
        transfer: &impl Fn(&'a Function, usize, &'a Inst, &mut Vec<T>),
        visit: &mut impl FnMut(usize, &[T]),
    ) -> usize {
        let mut pc = start;
        loop {
            visit(pc, facts);
            transfer(f, pc, &f.code[pc], facts);
            if !self.falls[pc] || pc + 1 >= f.code.len() || self.leader[pc + 1] {
                return pc;
            }
            pc += 1;
        }
    }
}

/// What an instruction may write of the registers.
pub(crate) enum Writes {
    /// Nothing.
    None,
    /// At most the bytes `[start, end)`.
    Range(u64, u64),
    /// Unknown: any byte.
    All,
}

/// What `inst` may write of the registers. Every instruction not listed may write any byte.
pub(crate) fn may_write(f: &Function, inst: &Inst) -> Writes {
    let one = |at: u32, size: u64| Writes::Range(at as u64, at as u64 + size);
    match inst {
        &Inst::Move { dst, size, .. } | &Inst::StoreReg { dst, size, .. } => place_write(f, dst, Some(size as u64)),
        &Inst::LoadReg { dst, size, .. }
        | &Inst::ConstReg { dst, size, .. }
        | &Inst::ConstRegImm { dst, size, .. }
        | &Inst::MoveReg { dst, size, .. }
        | &Inst::InlineReturn { dst, size, .. } => one(dst, size as u64),
        &Inst::IntOp { op, ty, dst, .. }
        | &Inst::IntOpBranch { op, ty, dst, .. }
        | &Inst::IntOpImm { op, ty, dst, .. }
        | &Inst::IntOpImmBranch { op, ty, dst, .. } => one(dst, int_result(op, ty.size as u64)),
        &Inst::FloatOp { ty, dst, .. } => one(dst, crate::ScalarTy::Float(ty).size() as u64),
        &Inst::IntCast { to, dst, .. } => one(dst, to.size as u64),
        &Inst::Ref { dst, fat, .. } => place_write(f, dst, Some(if fat { 16 } else { 8 })),
        &Inst::BinOp { dst, .. }
        | &Inst::UnOp { dst, .. }
        | &Inst::Cast { dst, .. }
        | &Inst::Discriminant { dst, .. }
        | &Inst::FnPtr { dst, .. } => place_write(f, dst, result_size(inst)),
        // The tag alone (none for a single variant, and none either for a niche-encoded
        // enum's untagged variant, which writes nothing).
        &Inst::SetDiscriminant { place, ref info, .. } => match info.kind {
            DiscrKind::Single { .. } => Writes::None,
            DiscrKind::Direct { offset, tag } | DiscrKind::Niche { offset, tag, .. } => match f.places.get(place as usize).map(shape) {
                Some((Shape::Reg(at), None)) => Writes::Range(at + offset as u64, at + offset as u64 + tag.size as u64),
                _ => place_write(f, place, None),
            },
        },
        &Inst::StorageLive { local } | &Inst::StorageDead { local } => match f.locals.get(local as usize) {
            // (A register local's markers do nothing.)
            Some(LocalSlot::Reg { .. }) => Writes::None,
            Some(&LocalSlot::Mem { ptr_off, .. }) => one(ptr_off, 8),
            None => Writes::All,
        },
        Inst::Goto { .. } | Inst::SwitchInt { .. } | Inst::Assert { .. } | Inst::Assume { .. } | Inst::CheckScalar { .. } => Writes::None,
        // Fresh registers for the callee, and the caller's call id saved after them.
        &Inst::InlineEnter { regs, size, .. } => one(regs, size as u64 + 8),
        &Inst::Uninit { reg, size } => one(reg, size as u64),
        // A retag gives the pointer a new tag.
        Inst::ValidateRefReg { reg, validity, .. } => one(*reg, validity.size as u64),
        // (An enum's padding made uninitialized; nothing else is written once the value passed.)
        Inst::ValidateInitReg { reg, validity } | Inst::ValidateScalarReg { reg, validity } => {
            if clears_padding(validity) {
                one(*reg, validity.size as u64)
            } else {
                Writes::None
            }
        }
        Inst::Validate { place, validity, .. } => place_write(f, *place, Some(validity.size as u64)),
        _ => Writes::All,
    }
}

/// The register bytes `(dst, size)` `inst` writes as a plain number, if it is such an
/// operation: integer and float arithmetic, casts and constants in the instruction
/// (`Machine::set_int_reg`), whose bytes are then initialized and without provenance.
pub(crate) fn number_written(f: &Function, inst: &Inst) -> Option<(u32, u32)> {
    match *inst {
        // (An integer operation's result into a plain register: no provenance, as
        // `arith::binop` gives integers none.)
        Inst::BinOp { op, lhs: lhs @ crate::ScalarTy::Int(_), rhs: crate::ScalarTy::Int(_), dst, .. } => {
            let reg = f.places.get(dst as usize)?.plain_reg()?;
            let flag = matches!(op, crate::BinOp::AddWithOverflow | crate::BinOp::SubWithOverflow | crate::BinOp::MulWithOverflow);
            Some((reg, op.result_size(lhs.size()) + flag as u32))
        }
        Inst::IntOp { op, ty, dst, .. }
        | Inst::IntOpBranch { op, ty, dst, .. }
        | Inst::IntOpImm { op, ty, dst, .. }
        | Inst::IntOpImmBranch { op, ty, dst, .. } => Some((dst, int_result(op, ty.size as u64) as u32)),
        Inst::IntCast { to, dst, .. } => Some((dst, to.size as u32)),
        Inst::FloatOp { op, ty, dst, .. } => Some((dst, op.result_size(crate::ScalarTy::Float(ty).size()))),
        Inst::ConstRegImm { dst, size, .. } => Some((dst, size)),
        _ => None,
    }
}

/// Appends `fact`, dropping the oldest when `max` are held already (a pass keeps a few facts
/// per program point: the ones it uses lie close together).
pub(crate) fn add_bounded<T>(facts: &mut Vec<T>, fact: T, max: usize) {
    if facts.len() >= max {
        facts.remove(0);
    }
    facts.push(fact);
}

/// Whether a value passing `v` may have bytes made uninitialized by it (padding, or an
/// enum or array whose parts have some).
pub(crate) fn clears_padding(v: &crate::Validity) -> bool {
    use crate::VCheck;
    v.checks.iter().any(|c| match c {
        VCheck::Padding { .. } => true,
        VCheck::Enum { variants, .. } => variants.iter().any(clears_padding),
        VCheck::Array { elem, .. } => clears_padding(elem),
        VCheck::Init { .. }
        | VCheck::Bool { .. }
        | VCheck::Char { .. }
        | VCheck::Range { .. }
        | VCheck::Ref { .. }
        | VCheck::FnPtr { .. }
        | VCheck::Vtable { .. }
        | VCheck::Uninhabited { .. }
        | VCheck::PtrToUninhabited { .. } => false,
    })
}

/// The bytes an operation writes to its destination place (`None`: not known here, or
/// not such an operation).
pub(crate) fn result_size(inst: &Inst) -> Option<u64> {
    use crate::{BinOp, UnOp};
    match *inst {
        Inst::BinOp { op, lhs, .. } => {
            let flag = matches!(op, BinOp::AddWithOverflow | BinOp::SubWithOverflow | BinOp::MulWithOverflow);
            Some(op.result_size(lhs.size()) as u64 + flag as u64)
        }
        Inst::UnOp { op: UnOp::Not | UnOp::Neg, ty, .. } => Some(ty.size() as u64),
        // (A wide pointer's metadata is one word, a thin pointer's is empty.)
        Inst::UnOp { op: UnOp::PtrMetadata, .. } => Some(8),
        Inst::Cast { op, .. } => Some(op.dst_size() as u64),
        Inst::Discriminant { ref info, .. } => Some(info.result.size as u64),
        Inst::FnPtr { .. } => Some(8),
        _ => None,
    }
}

/// What a write to place `p` of `size` bytes (`None`: not known) may write of the registers
/// (`elide::shape`): a place behind a pointer is in memory, which holds no register, and an
/// element of a register array lies anywhere from the array's start.
pub(crate) fn place_write(f: &Function, p: PlaceId, size: Option<u64>) -> Writes {
    let Some(place) = f.places.get(p as usize) else { return Writes::All };
    match shape(place) {
        (Shape::Deref { .. }, _) => Writes::None,
        (Shape::Reg(at), Some(_)) => Writes::Range(at, u64::MAX),
        (Shape::Reg(at), None) => Writes::Range(at, size.map_or(u64::MAX, |s| at + s)),
    }
}
