//! Retags nothing can observe: finding the `ValidateRefReg`s whose new tag would only ever
//! be used for the accesses its parent's tag would make just the same.
//!
//! A reference retagged and then only dereferenced in straight-line code (a getter's
//! `&self`, a comparison's two `&u64`, `&s` passed to such a callee) gets a tag that no
//! other pointer can see: while it lives, nothing but reads through anything (a shared
//! reference) or accesses through it alone (`&mut`) touch memory, and no call is made; a
//! function-entry retag's protector ends (the callee returns) before anything else
//! happens. Whether such an access goes through the new tag or through its parent changes
//! no item or node but the new one, which is never used again, so the machine may make
//! the retag's access through the parent (what decides the verdict and its report) and
//! leave the pointer its parent's tag (`unobserved` on `ValidateRefReg`). The machine
//! still retags in full where the argument needs one thread (`retag.rs`).
//!
//! The analysis follows the reference's copies through registers (moves, field
//! addresses `&(*r).f`, the inlined callee's parameter moves and its return) byte by byte,
//! and ends a path where every copy is overwritten or never read again (a forward liveness
//! walk) once no protector of its own is active. Anything it does not model ends the search
//! with "keep the retag": only a missed elision, never a wrong one, can come of being
//! conservative.
//!
//! A reference to a zero-sized value (a closure's `&mut self` with no captures) has a tag
//! that grants no byte: only a non-empty access through it, refused by the new tag, could
//! tell it from its parent's, so every access through other pointers is harmless beside it.
//!
//! Two more things are harmless beside the reference. A copy of a shared reference
//! reborrowed read-only (`&*first`, as `slice::Iter::next` returns its element) holds a
//! child's tag from then on, which may escape: derived from the parent instead, the child
//! reads the same bytes through a tag the same accesses remove. And a write into a local's
//! allocation made after the retag (`let end = self.end;` before `self.ptr == end` compares
//! through `&end`) touches memory the reference cannot point into.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::{
    Callee, CastOp, Function, Inlined, Inst, IntOp, Label, LocalSlot, Operand, Place, PlaceId, Proj, RefKind, RetagMode, Unobserved, VCheck,
};

/// Instruction indices hash to themselves (spread by one multiplication).
type PcHash = BuildHasherDefault<PcHasher>;

#[derive(Default)]
struct PcHasher(u64);

impl Hasher for PcHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// How far one search walks (instructions visited), for lowering time on large functions.
const MAX_STEPS: usize = 256;
/// How far one liveness walk looks before it answers "may be read".
const MAX_LIVENESS_STEPS: usize = 2048;
/// An extent not known: up to the end of the frame.
const UNKNOWN: u64 = u64::MAX;

/// Marks every retag of `f` that nothing can observe (`ValidateRefReg::unobserved`), of
/// `&mut`s too when `mut_refs`; returns how many it marked. Run once the function's calls
/// are inlined.
pub fn mark_unobserved_retags(f: &mut Function, mut_refs: bool) -> usize {
    let mut marked = 0;
    // (The searches' tables, kept from one to the next.)
    let mut scratch = Scratch::default();
    for pc in 0..f.code.len() {
        let Inst::ValidateRefReg { reg, validity, nullable: false, unobserved: Unobserved::No, retag } = &f.code[pc] else { continue };
        let Some(kind) = ref_kind(validity) else { continue };
        if !matches!(retag, RetagMode::Default | RetagMode::FnEntry | RetagMode::FnEntryNoImplicitWrites) {
            continue;
        }
        let shared = match kind {
            RefKind::Shared { freeze: true } => true,
            RefKind::Mut { unpin: true } if mut_refs => false,
            _ => continue,
        };
        let pointee = thin_pointee(validity);
        let zst = pointee == Some(0);
        let start = Search { f, shared, zst, home: f.inlined_at(pc as u32).copied(), pointee, reads_beside: Cell::new(false) };
        // (The tag is the data pointer's: a slice's length is no use of it. A protector of
        // no byte protects nothing.)
        let reg = *reg as u64;
        let path = Path { live: Ranges::one((reg, reg + 8)), protected: retag.is_fn_entry() && !zst, fresh: Fresh::default(), offsets: 0 };
        if start.unobserved(pc + 1, path, &mut scratch) {
            let mark = if start.reads_beside.get() { Unobserved::BesideReads } else { Unobserved::Alone };
            let Inst::ValidateRefReg { unobserved, .. } = &mut f.code[pc] else { unreachable!() };
            *unobserved = mark;
            marked += 1;
        }
    }
    marked
}

/// Whether `v` checks a thin reference (or `Box`) to a zero-sized pointee and nothing else:
/// its retag accesses no byte, so no other tag can see it.
fn zero_sized_pointee(v: &crate::Validity) -> bool {
    matches!((&v.checks[..], v.size), ([VCheck::Ref { offset: 0, size: Some(0), unsized_layout: None, .. }], 8))
}

/// The pointee size of the thin reference `v` checks alone.
fn thin_pointee(v: &crate::Validity) -> Option<u64> {
    match (v.checks.first()?, v.size) {
        (VCheck::Ref { offset: 0, size: Some(size), unsized_layout: None, .. }, 8) => Some(*size as u64),
        _ => None,
    }
}

/// The kind of the reference `v` checks alone (a thin one to a sized pointee, or a wide one
/// to a slice or `str`; no `UnsafeCell` ranges, not in a `MaybeDangling`).
fn ref_kind(v: &crate::Validity) -> Option<RefKind> {
    match (v.checks.first()?, v.size) {
        (VCheck::Ref { offset: 0, size: Some(_), is_box: false, kind, unsized_layout: None, cells: None, may_dangle: false, .. }, 8)
        | (
            VCheck::Ref {
                offset: 0,
                size: None,
                is_box: false,
                kind,
                unsized_layout: Some(crate::DynLayout::Slice { .. }),
                cells: None,
                may_dangle: false,
                ..
            },
            16,
        ) => Some(*kind),
        _ => None,
    }
}

/// Byte ranges `[start, end)` of the registers, at most `Ranges::MAX` of them without
/// allocating: one more sets `full`, and users then answer as if every byte were in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ranges {
    r: [(u64, u64); Ranges::MAX],
    n: u8,
    pub(crate) full: bool,
}

impl Default for Ranges {
    fn default() -> Self {
        Ranges { r: [(0, 0); Ranges::MAX], n: 0, full: false }
    }
}

impl Ranges {
    const MAX: usize = 6;

    fn one(r: (u64, u64)) -> Ranges {
        let mut out = Ranges::default();
        out.push(r);
        out
    }

    pub(crate) fn as_slice(&self) -> &[(u64, u64)] {
        &self.r[..self.n as usize]
    }

    fn is_empty(&self) -> bool {
        self.n == 0 && !self.full
    }

    fn push(&mut self, r: (u64, u64)) {
        if (self.n as usize) < Ranges::MAX {
            self.r[self.n as usize] = r;
            self.n += 1;
        } else {
            self.full = true;
        }
    }

    fn extend(&mut self, r: Option<(u64, u64)>) {
        if let Some(r) = r {
            self.push(r);
        }
    }

    fn overlaps(&self, (s, e): (u64, u64)) -> bool {
        self.full || self.as_slice().iter().any(|&(a, b)| a < e && s < b)
    }

    /// Whether any byte is in both.
    fn meets(&self, other: &Ranges) -> bool {
        if self.full || other.full {
            return !self.is_empty() && !other.is_empty();
        }
        other.as_slice().iter().any(|&r| self.overlaps(r))
    }

    fn covers(&self, (s, e): (u64, u64)) -> bool {
        self.full || self.as_slice().iter().any(|&(a, b)| a <= s && e <= b)
    }

    fn remove(&mut self, (s, e): (u64, u64)) {
        if self.full || !self.overlaps((s, e)) {
            return;
        }
        let mut out = Ranges::default();
        for &(a, b) in self.as_slice() {
            if b <= s || e <= a {
                out.push((a, b));
                continue;
            }
            if a < s {
                out.push((a, s));
            }
            if e < b {
                out.push((e, b));
            }
        }
        *self = out;
    }

    fn add(&mut self, (s, e): (u64, u64)) {
        if self.full {
            return;
        }
        let mut all = [(0, 0); Ranges::MAX + 1];
        let n = self.n as usize;
        all[..n].copy_from_slice(self.as_slice());
        all[n] = (s, e);
        all[..=n].sort_unstable();
        let mut out = Ranges::default();
        for &(a, b) in &all[..=n] {
            match out.n.checked_sub(1).map(|i| &mut out.r[i as usize]) {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        *self = out;
    }

    /// The bytes of `self` inside `[src, src + size)`, moved to `dst`.
    fn moved(&self, src: u64, dst: u64, size: u64) -> Ranges {
        let end = src + size;
        let mut out = Ranges { full: self.full, ..Ranges::default() };
        for &(a, b) in self.as_slice().iter().filter(|&&(a, b)| a < end && src < b) {
            out.push((a.max(src) - src + dst, b.min(end) - src + dst));
        }
        out
    }
}

/// Registers that hold the address of a local's allocation made (`StorageLive`) after the
/// retag on the path: memory the reference cannot point into (at most `Fresh::MAX` of
/// them; past that, some are forgotten, which only says "observed" more often).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Fresh {
    regs: [u32; Fresh::MAX],
    n: u8,
}

impl Fresh {
    const MAX: usize = 4;

    fn holds(&self, reg: u64) -> bool {
        self.regs[..self.n as usize].iter().any(|&r| r as u64 == reg)
    }

    fn insert(&mut self, reg: u32) {
        if (self.n as usize) < Fresh::MAX && !self.holds(reg as u64) {
            self.regs[self.n as usize] = reg;
            self.n += 1;
        }
    }

    /// Forgets the registers with a byte in `[start, end)`.
    fn forget(&mut self, (start, end): (u64, u64)) {
        let mut out = Fresh::default();
        for &r in &self.regs[..self.n as usize] {
            if (r as u64) + 8 <= start || end <= r as u64 {
                out.insert(r);
            }
        }
        *self = out;
    }

    /// The registers both hold.
    fn meet(&self, other: &Fresh) -> Fresh {
        let mut out = Fresh::default();
        self.regs[..self.n as usize].iter().filter(|&&r| other.holds(r as u64)).for_each(|&r| out.insert(r));
        out
    }

    /// What is left after `inst` at `pc` ran (a write to a register ends what it held).
    fn after(&mut self, f: &Function, pc: usize, inst: &Inst) {
        match *inst {
            Inst::StorageLive { local } => {
                if let Some(&LocalSlot::Mem { ptr_off, .. }) = f.locals.get(local as usize) {
                    self.forget((ptr_off as u64, ptr_off as u64 + 8));
                    self.insert(ptr_off);
                }
            }
            Inst::MoveReg { dst, size, .. } => self.forget((dst as u64, dst as u64 + size as u64)),
            // The callee's registers are free for other uses after its return.
            Inst::InlineReturn { dst, size, .. } => {
                self.forget((dst as u64, dst as u64 + size as u64));
                let callee = f.inlined_at(pc as u32).and_then(|body| f.code.get(body.call as usize));
                match callee {
                    Some(&Inst::InlineEnter { regs, size, .. }) => self.forget((regs as u64, regs as u64 + size as u64)),
                    _ => *self = Fresh::default(),
                }
            }
            _ => match crate::dataflow::may_write(f, inst) {
                crate::dataflow::Writes::None => {}
                crate::dataflow::Writes::Range(start, end) => self.forget((start, end)),
                crate::dataflow::Writes::All => *self = Fresh::default(),
            },
        }
    }

    /// Whether place `p` lies in memory of a fresh allocation (fields of the pointee of a
    /// register in `self`, no pointer in it followed, no index read).
    fn covers_place(&self, f: &Function, p: PlaceId) -> bool {
        let Some(place) = f.places.get(p as usize) else { return false };
        matches!(shape(place), (Shape::Deref { ptr: (at, end), plain: true }, None) if end == at + 8 && self.holds(at))
    }
}

/// A path's state at an instruction: the reference's copies, whether its protector is still
/// active, the fresh allocations' registers, and the sum of the offsets of the field
/// addresses taken through copies (at least any copy's offset into the pointee; `UNKNOWN`
/// once one is not known).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Path {
    live: Ranges,
    protected: bool,
    fresh: Fresh,
    offsets: u64,
}

/// What a place reads of the registers, and where it goes.
pub(crate) enum Shape {
    /// Register bytes `[start, ..)` of the frame (fields of a register local).
    Reg(u64),
    /// Memory behind the pointer at register bytes `ptr` (with its metadata, if wide);
    /// `plain`: inside the pointee (fields, elements, subslices: no pointer in it followed).
    Deref { ptr: (u64, u64), plain: bool },
}

/// A place's shape, and the register bytes its index operands read (one range around them
/// all).
pub(crate) fn shape(p: &Place) -> (Shape, Option<(u64, u64)>) {
    let crate::PlaceBase::Reg(base) = p.base;
    let mut at = base as u64;
    let mut index_reads: Option<(u64, u64)> = None;
    let mut deref: Option<(u64, u64)> = None;
    let mut plain = true;
    for proj in p.projs.iter() {
        match proj {
            Proj::Field { offset, .. } if deref.is_none() => at += *offset as u64,
            // An element of a register array: where it lies is known only when it runs.
            _ if deref.is_none() && !matches!(proj, Proj::Deref { .. }) => return (Shape::Reg(base as u64), Some((base as u64, UNKNOWN))),
            Proj::Field { .. } => {}
            Proj::Deref { fat } if deref.is_none() => deref = Some((at, at + if *fat { 16 } else { 8 })),
            // (Bounds-checked against the pointee's length.)
            Proj::ConstIndex { .. } | Proj::Subslice { .. } if deref.is_some() => {}
            Proj::Index { index, .. } => {
                let r = match index {
                    Operand::Reg(r) => (*r as u64, *r as u64 + 8),
                    Operand::Place(_) | Operand::Const(_) => (0, UNKNOWN),
                };
                index_reads = Some(index_reads.map_or(r, |(s, e)| (s.min(r.0), e.max(r.1))));
            }
            _ => plain = false,
        }
    }
    match deref {
        Some(ptr) => (Shape::Deref { ptr, plain }, index_reads),
        // A register place whose projections are all fields.
        None => (Shape::Reg(at), index_reads),
    }
}

/// The register bytes an instruction reads (an over-approximation: past `Ranges::MAX`,
/// all of them) and those it certainly overwrites.
#[derive(Default)]
pub(crate) struct Effects {
    pub(crate) reads: Ranges,
    pub(crate) writes: Ranges,
}

impl Effects {
    fn read_place(&mut self, f: &Function, p: PlaceId, size: u64) {
        let (s, index) = shape(&f.places[p as usize]);
        self.reads.extend(index);
        match s {
            Shape::Reg(at) => self.reads.push((at, at.saturating_add(size))),
            Shape::Deref { ptr, .. } => self.reads.push(ptr),
        }
    }

    /// A place written: a register place of known size is overwritten; a place behind a
    /// pointer reads the pointer.
    fn write_place(&mut self, f: &Function, p: PlaceId, size: Option<u64>) {
        let (s, index) = shape(&f.places[p as usize]);
        self.reads.extend(index);
        match (s, size) {
            (Shape::Reg(at), Some(size)) => self.writes.push((at, at + size)),
            (Shape::Reg(_), None) => {}
            (Shape::Deref { ptr, .. }, _) => self.reads.push(ptr),
        }
    }

    fn read_operand(&mut self, f: &Function, op: &Operand, size: u64) {
        match *op {
            Operand::Reg(r) => self.reads.push((r as u64, (r as u64).saturating_add(size))),
            Operand::Place(p) => self.read_place(f, p, size),
            Operand::Const(_) => {}
        }
    }

    fn read_reg(&mut self, r: u32, size: u64) {
        self.reads.push((r as u64, r as u64 + size));
    }
}

pub(crate) fn int_result(op: IntOp, size: u64) -> u64 {
    if op.is_comparison() {
        1
    } else if op.has_overflow_flag() {
        size + 1
    } else {
        size
    }
}

pub(crate) fn effects(f: &Function, inst: &Inst) -> Effects {
    let mut e = Effects::default();
    match inst {
        Inst::Move { dst, src, size } => {
            e.read_operand(f, src, *size as u64);
            e.write_place(f, *dst, Some(*size as u64));
        }
        &Inst::MoveReg { dst, src, size } => {
            e.read_reg(src, size as u64);
            e.writes.push((dst as u64, dst as u64 + size as u64));
        }
        &Inst::LoadReg { dst, src, size } => {
            e.read_place(f, src, size as u64);
            e.writes.push((dst as u64, dst as u64 + size as u64));
        }
        &Inst::StoreReg { dst, src, size } => {
            e.read_reg(src, size as u64);
            e.write_place(f, dst, Some(size as u64));
        }
        &Inst::ConstReg { dst, size, .. } | &Inst::ConstRegImm { dst, size, .. } => e.writes.push((dst as u64, dst as u64 + size as u64)),
        Inst::BinOp { op, lhs, rhs, dst, a, b } => {
            e.read_operand(f, a, lhs.size() as u64);
            e.read_operand(f, b, rhs.size() as u64);
            let size = op.result_size(lhs.size()) as u64;
            let flag = matches!(op, crate::BinOp::AddWithOverflow | crate::BinOp::SubWithOverflow | crate::BinOp::MulWithOverflow);
            e.write_place(f, *dst, Some(size + flag as u64));
        }
        &Inst::IntOp { op, ty, dst, a, b } | &Inst::IntOpBranch { op, ty, dst, a, b, .. } => {
            e.read_reg(a, ty.size as u64);
            e.read_reg(b, ty.size as u64);
            e.writes.push((dst as u64, dst as u64 + int_result(op, ty.size as u64)));
        }
        &Inst::IntOpImm { op, ty, dst, a, .. } | &Inst::IntOpImmBranch { op, ty, dst, a, .. } => {
            e.read_reg(a, ty.size as u64);
            e.writes.push((dst as u64, dst as u64 + int_result(op, ty.size as u64)));
        }
        &Inst::FloatOp { op, ty, dst, a, b } => {
            let size = crate::ScalarTy::Float(ty).size() as u64;
            e.read_reg(a, size);
            e.read_reg(b, size);
            e.writes.push((dst as u64, dst as u64 + if op.is_comparison() { 1 } else { size }));
        }
        &Inst::IntCast { from, to, dst, src } => {
            e.read_reg(src, from.size as u64);
            e.writes.push((dst as u64, dst as u64 + to.size as u64));
        }
        // (`PtrMetadata` reads the whole pointer: it must be initialized.)
        Inst::UnOp { ty, dst, a, .. } => {
            e.read_operand(f, a, ty.size() as u64);
            e.write_place(f, *dst, None);
        }
        Inst::Cast { op, dst, src } => {
            let size = match *op {
                CastOp::IntToInt { from, .. } | CastOp::IntToFloat { from, .. } | CastOp::WithExposedProvenance { from } => {
                    from.size as u64
                }
                CastOp::FloatToInt { from, .. } | CastOp::FloatToFloat { from, .. } => crate::ScalarTy::Float(from).size() as u64,
                CastOp::Bytes { size } | CastOp::StripProvenance { size } => size as u64,
                CastOp::ExposeProvenance { .. } => 8,
            };
            e.read_operand(f, src, size);
            e.write_place(f, *dst, None);
        }
        &Inst::Ref { dst, place, fat, .. } => {
            let (s, index) = shape(&f.places[place as usize]);
            e.reads.extend(index);
            if let Shape::Deref { ptr, .. } = s {
                e.reads.push(ptr);
            }
            e.write_place(f, dst, Some(if fat { 16 } else { 8 }));
        }
        Inst::Discriminant { dst, place, info } => {
            // The tag's bytes (a register place's own; behind a pointer, the pointer).
            let (at, size) = match info.kind {
                crate::DiscrKind::Single { .. } => (0, 0),
                crate::DiscrKind::Direct { offset, tag } | crate::DiscrKind::Niche { offset, tag, .. } => (offset, tag.size as u64),
            };
            let (shape, index) = shape(&f.places[*place as usize]);
            e.reads.extend(index);
            match shape {
                Shape::Reg(base) => e.reads.push((base + at as u64, base + at as u64 + size)),
                Shape::Deref { ptr, .. } => e.reads.push(ptr),
            }
            e.write_place(f, *dst, None);
        }
        // (A register place's tag is written, nothing read.)
        &Inst::SetDiscriminant { place, .. } => e.write_place(f, place, None),
        &Inst::StorageLive { local } | &Inst::StorageDead { local } => {
            if let Some(LocalSlot::Mem { ptr_off, .. }) = f.locals.get(local as usize) {
                e.read_reg(*ptr_off, 8);
            }
        }
        Inst::Assume { cond } => e.read_operand(f, cond, 1),
        Inst::Goto { .. } => {}
        Inst::SwitchInt { discr, ty, .. } => e.read_operand(f, discr, ty.size as u64),
        Inst::Assert { cond, .. } => e.read_operand(f, cond, 1),
        Inst::Call { callee, args, dst, caller_location, .. } => {
            for (op, size) in args.iter() {
                e.read_operand(f, op, *size as u64);
            }
            match callee {
                Callee::FnPtr { ptr, .. } => e.read_operand(f, ptr, 8),
                Callee::Fn(_) | Callee::Virtual { .. } | Callee::Intrinsic(_) | Callee::Foreign(_) => {}
            }
            if let Some(loc) = caller_location {
                e.read_operand(f, loc, 8);
            }
            // (The callee may unwind before writing the destination.)
            e.write_place(f, *dst, None);
        }
        &Inst::FnPtr { dst, .. } => e.write_place(f, dst, Some(8)),
        Inst::Return => return return_effects(f),
        &Inst::InlineEnter { regs, size, .. } => e.writes.push((regs as u64, regs as u64 + size as u64)),
        &Inst::InlineReturn { dst, src, size, ends, saved, .. } => {
            e.read_reg(src, size as u64);
            if ends.protects() {
                e.read_reg(saved, 8);
            }
            e.writes.push((dst as u64, dst as u64 + size as u64));
        }
        Inst::Unreachable | Inst::UnwindResume | Inst::UnwindTerminate | Inst::Unsupported { .. } | Inst::EndOfCode | Inst::Ub { .. } => {}
        Inst::LinkError { .. } => {}
        Inst::Validate { place, validity, .. } => e.read_place(f, *place, validity.size as u64),
        Inst::ValidateInitReg { reg, validity }
        | Inst::ValidateScalarReg { reg, validity }
        | Inst::ValidateRefReg { reg, validity, .. } => e.read_reg(*reg, validity.size as u64),
        Inst::CheckScalar { src, .. } => e.read_operand(f, src, 4),
        Inst::Repeat { .. } | Inst::Unsize { .. } | Inst::TailCall { .. } | Inst::ThreadLocalRef { .. } => e.reads.push((0, UNKNOWN)),
        // The pointer (and a wide one's metadata) read, and its tag replaced.
        &Inst::RetagRaw { place, layout, .. } => {
            e.read_place(f, place, if matches!(layout, crate::DynLayout::Sized { .. }) { 8 } else { 16 })
        }
        // (Its places are in memory: only their pointers and indices are registers read.)
        Inst::ProtectInPlace { places } => places.iter().for_each(|&(p, size)| e.read_place(f, p, size as u64)),
    }
    e
}

/// Where control may go after `inst` at `pc`.
pub(crate) fn successors(pc: usize, inst: &Inst, out: &mut Vec<usize>) {
    let mut push = |l: &Label| out.push(l.0 as usize);
    match inst {
        Inst::Goto { target } => push(target),
        Inst::SwitchInt { targets, .. } => targets.iter().for_each(push),
        Inst::Assert { target, fail, .. } => {
            push(target);
            push(fail);
        }
        Inst::IntOpBranch { if_true, if_false, .. } | Inst::IntOpImmBranch { if_true, if_false, .. } => {
            push(if_true);
            push(if_false);
        }
        Inst::Call { target, unwind, .. } => {
            if let Some(t) = target {
                push(t);
            }
            if let crate::Unwind::Cleanup(l) = unwind {
                push(l);
            }
        }
        Inst::InlineEnter { body, .. } => push(body),
        Inst::InlineReturn { target, .. } => push(target),
        Inst::Return
        | Inst::TailCall { .. }
        | Inst::Unreachable
        | Inst::UnwindResume
        | Inst::UnwindTerminate
        | Inst::Unsupported { .. }
        | Inst::EndOfCode
        | Inst::Ub { .. }
        | Inst::LinkError { .. } => {}
        _ => out.push(pc + 1),
    }
}

/// Whether no byte of `live` can be read from `pc` on before it is overwritten (the return
/// value is read at `Return`).
fn dead_from(f: &Function, pc: usize, live: &Ranges) -> bool {
    // (One bit per instruction.)
    let mut seen = vec![0u64; f.code.len().div_ceil(64)];
    let mut stack = vec![pc];
    let mut steps = 0;
    let mut next = Vec::new();
    while let Some(pc) = stack.pop() {
        if pc >= f.code.len() {
            return false;
        }
        let (word, bit) = (pc / 64, 1u64 << (pc % 64));
        if seen[word] & bit != 0 {
            continue;
        }
        seen[word] |= bit;
        steps += 1;
        if steps > MAX_LIVENESS_STEPS {
            return false;
        }
        let inst = &f.code[pc];
        let e = effects(f, inst);
        if live.meets(&e.reads) {
            return false;
        }
        // (A path ends where all of it is overwritten; partial writes keep it all, which
        // can only say "live" more often.)
        if !live.full && live.as_slice().iter().all(|&(a, b)| e.writes.as_slice().iter().any(|&(s, t)| s <= a && b <= t)) {
            continue;
        }
        next.clear();
        successors(pc, inst, &mut next);
        stack.extend_from_slice(&next);
    }
    true
}

fn return_effects(f: &Function) -> Effects {
    let mut e = Effects::default();
    let (s, index) = shape(&f.ret_place);
    e.reads.extend(index);
    match s {
        Shape::Reg(at) => e.reads.push((at, at + f.ret_size as u64)),
        Shape::Deref { ptr, .. } => e.reads.push(ptr),
    }
    e
}

/// One retag's search: the reference's copies followed from the instruction after it.
struct Search<'a> {
    f: &'a Function,
    /// A shared reference (reads by anyone are harmless while it lives) or a `&mut`.
    shared: bool,
    /// A thin reference to a zero-sized pointee: its tag grants no byte, so no access but a
    /// non-empty one through it (which the new tag refuses) can tell it from its parent's,
    /// and every access through other pointers is harmless.
    zst: bool,
    /// The inlined body whose return ends a function-entry retag's protector.
    home: Option<Inlined>,
    /// The pointee size of a thin reference.
    pointee: Option<u64>,
    /// Whether some path let another pointer read memory beside the (shared) reference
    /// (`Unobserved::BesideReads`).
    reads_beside: Cell<bool>,
}

/// A search's tables: the state each instruction was reached in, the paths to follow, and
/// an instruction's successors.
#[derive(Default)]
struct Scratch {
    seen: HashMap<usize, Path, PcHash>,
    stack: Vec<(usize, Path)>,
    next: Vec<usize>,
}

/// The outcome of one instruction for a path.
enum Step {
    /// Go on with the copies at these instructions.
    Next,
    /// Nothing more to check on this path.
    Done,
    /// The instruction may observe the new tag (or changes what it would protect).
    Observed,
}

impl Search<'_> {
    /// Whether the reference, in state `path` at `pc`, can be observed on any path.
    fn unobserved(&self, pc: usize, path: Path, scratch: &mut Scratch) -> bool {
        let f = self.f;
        let Scratch { seen, stack, next } = scratch;
        seen.clear();
        stack.clear();
        stack.push((pc, path));
        let mut steps = 0;
        while let Some((pc, mut path)) = stack.pop() {
            if path.live.full {
                return false;
            }
            if path.live.is_empty() && !path.protected {
                continue;
            }
            let Some(inst) = f.code.get(pc) else { return false };
            if stops_program(inst) {
                // (Before the join check: paths may meet here in any states.)
                continue;
            }
            match seen.get_mut(&pc) {
                // The same state again (a join, or a loop around it): already followed.
                Some(old) if *old == path => continue,
                // Beside a shared reference, paths that meet go on as one whose copies are
                // those of either, which is protected if either is, whose fresh allocations
                // are those of both and whose offsets are the larger: every instruction
                // treats more copies, a protector, fewer fresh allocations and larger offsets
                // as at least as observable (a copy
                // that is another reference on some path is read-only retagged, read,
                // dereferenced only to read), so the joined path answers for both. Once a
                // path brings nothing new, it was followed already.
                // (Beside a `&mut`, only paths with the same copies and protector join.)
                Some(old) if self.shared || (old.live == path.live && old.protected == path.protected) => {
                    let mut joined = *old;
                    path.live.as_slice().iter().for_each(|&r| joined.live.add(r));
                    joined.live.full |= path.live.full;
                    joined.protected |= path.protected;
                    joined.fresh = old.fresh.meet(&path.fresh);
                    joined.offsets = old.offsets.max(path.offsets);
                    if joined == *old {
                        continue;
                    }
                    if joined.live.full {
                        return false;
                    }
                    *old = joined;
                    path = joined;
                }
                Some(_) => return false,
                None => {
                    seen.insert(pc, path);
                }
            }
            steps += 1;
            if steps > MAX_STEPS {
                return false;
            }
            let before = path.live;
            match self.step(pc, inst, &mut path) {
                Step::Next => {}
                Step::Done => continue,
                // Past its protector, a reference never read again is observed by nothing.
                Step::Observed if !path.protected && dead_from(f, pc, &before) => continue,
                Step::Observed => return false,
            }
            if path.fresh.n > 0 || matches!(inst, Inst::StorageLive { .. }) {
                path.fresh.after(f, pc, inst);
            }
            next.clear();
            successors(pc, inst, next);
            stack.extend(next.iter().map(|&n| (n, path)));
        }
        true
    }

    /// Whether a place of `size` bytes reads the reference's bytes: `Some(true)` through it
    /// (a thin dereference followed by fields), `Some(false)` not at all, `None` otherwise.
    fn through(&self, p: PlaceId, size: u32, live: &Ranges) -> Option<bool> {
        let (s, index) = shape(&self.f.places[p as usize]);
        if index.iter().any(|&r| live.overlaps(r)) {
            return None;
        }
        match s {
            // (The data pointer is the first word.)
            Shape::Deref { ptr, plain } if live.overlaps(ptr) => (plain && live.covers((ptr.0, ptr.0 + 8))).then_some(true),
            Shape::Deref { .. } => Some(false),
            Shape::Reg(at) => (!live.overlaps((at, at + size as u64))).then_some(false),
        }
    }

    fn step(&self, pc: usize, inst: &Inst, path: &mut Path) -> Step {
        let f = self.f;
        // (What the instruction reads and writes, for the arms that ask.)
        let e = || effects(f, inst);
        let Path { live, protected, fresh, offsets } = path;
        match inst {
            &Inst::LoadReg { dst, src, size } => {
                match self.through(src, size, live) {
                    Some(true) if self.zst && size > 0 => return Step::Observed,
                    Some(true) => {}
                    // A read through another pointer: harmless beside a shared reference.
                    Some(false) if self.zst || !is_deref(f, src) => {}
                    Some(false) if self.shared => self.reads_beside.set(true),
                    _ => return Step::Observed,
                }
                live.remove((dst as u64, dst as u64 + size as u64));
                Step::Next
            }
            // A write into an allocation made since the retag (a local's): the reference
            // cannot point into it.
            &Inst::StoreReg { dst, src, size } if fresh.covers_place(f, dst) => {
                if live.overlaps((src as u64, src as u64 + size as u64)) {
                    return Step::Observed;
                }
                Step::Next
            }
            &Inst::Move { dst, src: Operand::Reg(src), size } if fresh.covers_place(f, dst) => {
                if live.overlaps((src as u64, src as u64 + size as u64)) {
                    return Step::Observed;
                }
                Step::Next
            }
            &Inst::Move { dst, src: Operand::Const(_), .. } | &Inst::SetDiscriminant { place: dst, .. } if fresh.covers_place(f, dst) => {
                Step::Next
            }
            &Inst::StoreReg { dst, src, size } => {
                let through = self.through(dst, size, live);
                let stored = live.overlaps((src as u64, src as u64 + size as u64));
                if self.zst {
                    // (Through another pointer.)
                    return if through == Some(false) && !stored { Step::Next } else { Step::Observed };
                }
                if self.shared || through != Some(true) || stored {
                    return Step::Observed;
                }
                Step::Next
            }
            &Inst::MoveReg { dst, src, size } => {
                let copies = live.moved(src as u64, dst as u64, size as u64);
                live.remove((dst as u64, dst as u64 + size as u64));
                copies.as_slice().iter().for_each(|&c| live.add(c));
                live.full |= copies.full;
                Step::Next
            }
            &Inst::Ref { dst, place, fat, .. } => {
                // (The address is stored in a register: into memory, it would be a write.)
                let Shape::Reg(dst_reg) = shape(&f.places[dst as usize]).0 else { return Step::Observed };
                let through = self.through(place, 0, live);
                live.remove((dst_reg, dst_reg + if fat { 16 } else { 8 }));
                match through {
                    // The address of a field, element or subslice behind the reference: a
                    // copy of it.
                    Some(true) => {
                        *offsets = offsets.saturating_add(pointee_offset(&f.places[place as usize]));
                        live.add((dst_reg, dst_reg + 8))
                    }
                    Some(false) => {}
                    _ => return Step::Observed,
                }
                Step::Next
            }
            Inst::ValidateRefReg { reg, validity, nullable, retag, .. } => {
                let r = (*reg as u64, *reg as u64 + validity.size as u64);
                if !live.overlaps(r) {
                    // Checks alone, another reference's retag of a zero-sized pointee (no
                    // access), or (beside a shared reference) another reference's read-only
                    // retag: a read.
                    let reads = matches!(ref_kind(validity), Some(RefKind::Shared { freeze: true }));
                    let harmless = *retag == RetagMode::None || zero_sized_pointee(validity) || self.zst;
                    if !harmless && self.shared && reads {
                        self.reads_beside.set(true);
                        return Step::Next;
                    }
                    return if harmless { Step::Next } else { Step::Observed };
                }
                let kind = ref_kind(validity);
                // A copy reborrowed read-only inside the pointee once no protector of ours is
                // active (`&*r` returned, a field's reference): the copy now holds a child's
                // tag. Whether the child is derived from the new tag or from its parent
                // changes nothing: the reborrow reads through either just the same (only
                // reads happened since the retag), and every later access that removes or
                // disables the new tag does so to the child above it. The new tag is then
                // observed only through its other copies.
                let child = !*protected
                    && self.shared
                    && !nullable
                    && kind == Some(RefKind::Shared { freeze: true })
                    && matches!(retag, RetagMode::Default | RetagMode::FnEntry | RetagMode::FnEntryNoImplicitWrites)
                    && live.covers((r.0, r.0 + 8))
                    && matches!((self.pointee, thin_pointee(validity)), (Some(of), Some(child)) if offsets.saturating_add(child) <= of);
                if child {
                    live.remove((r.0, r.0 + 8));
                    return Step::Next;
                }
                // The reference itself retagged again (a callee's entry retag of it): a
                // reborrow that is as unobservable as this one while this one is.
                let same_value = !nullable
                    && live.covers((r.0, r.0 + 8))
                    && (!self.zst || thin_pointee(validity) == Some(0))
                    && matches!(retag, RetagMode::None | RetagMode::Default | RetagMode::FnEntry | RetagMode::FnEntryNoImplicitWrites)
                    && match kind {
                        Some(RefKind::Shared { freeze: true }) => true,
                        Some(RefKind::Mut { unpin: true }) => !self.shared,
                        _ => false,
                    };
                if same_value { Step::Next } else { Step::Observed }
            }
            &Inst::InlineEnter { regs, size, .. } => {
                live.remove((regs as u64, regs as u64 + size as u64));
                Step::Next
            }
            &Inst::InlineReturn { dst, src, size, ends, saved, .. } => {
                if ends.protects() && live.overlaps((saved as u64, saved as u64 + 8)) {
                    return Step::Observed;
                }
                // The callee's registers die, a copy it returns is one in the caller's
                // registers, and its protectors end if it is the retag's.
                let Some(&body) = f.inlined_at(pc as u32) else { return Step::Observed };
                let Some(&Inst::InlineEnter { regs, size: frame, .. }) = f.code.get(body.call as usize) else { return Step::Observed };
                let returned = live.moved(src as u64, dst as u64, size as u64);
                live.remove((regs as u64, regs as u64 + frame as u64));
                live.remove((dst as u64, dst as u64 + size as u64));
                returned.as_slice().iter().for_each(|&c| live.add(c));
                live.full |= returned.full;
                if self.home == Some(body) {
                    *protected = false;
                }
                Step::Next
            }
            // Unwinding out of the function: every register dies, and nothing is returned.
            Inst::UnwindResume if self.home.is_none() => Step::Done,
            Inst::Return => {
                // Every register dies; the return value must not hold the reference.
                if self.home.is_some() && *protected {
                    return Step::Observed;
                }
                let e = return_effects(f);
                if live.meets(&e.reads) { Step::Observed } else { Step::Done }
            }
            // Reading an enum's tag is a read of its place.
            &Inst::Discriminant { dst, place, .. } => {
                let through = self.through(place, 0, live);
                match (through, shape(&f.places[dst as usize]).0) {
                    (Some(true), Shape::Reg(_)) if !self.zst => {}
                    (Some(false), Shape::Reg(_)) if self.zst || !is_deref(f, place) => {}
                    (Some(false), Shape::Reg(_)) if self.shared => self.reads_beside.set(true),
                    _ => return Step::Observed,
                }
                // (A register place's tag: `through` looked at no byte of it.)
                if !is_deref(f, place) && live.meets(&e().reads) {
                    return Step::Observed;
                }
                Step::Next
            }
            // A local's storage made or ended: its own allocation, which the reference cannot
            // point into while protected (it was made before the function's locals), and
            // which, freed under an unprotected reference, leaves it dangling either way.
            Inst::StorageLive { .. } | Inst::StorageDead { .. } => self.plain(&e(), live),
            // A check of a value (padding it resets is no access): a read of its place.
            &Inst::Validate { place, ref validity, retag: RetagMode::None } => match self.through(place, validity.size, live) {
                Some(true) if self.zst && validity.size > 0 => Step::Observed,
                Some(true) => Step::Next,
                Some(false) if self.zst || !is_deref(f, place) => Step::Next,
                Some(false) if self.shared => {
                    self.reads_beside.set(true);
                    Step::Next
                }
                _ => Step::Observed,
            },
            // On registers alone: harmless unless it reads the reference.
            _ if on_registers_only(f, inst) => self.plain(&e(), live),
            _ => Step::Observed,
        }
    }

    /// An instruction on registers alone: harmless unless it reads the reference.
    fn plain(&self, e: &Effects, live: &mut Ranges) -> Step {
        if live.meets(&e.reads) {
            return Step::Observed;
        }
        e.writes.as_slice().iter().for_each(|&w| live.remove(w));
        Step::Next
    }
}

/// Whether executing `inst` stops the program with an error that names no tag (UB without
/// one, an abort, an unsupported operation): nothing after it can observe a retag.
fn stops_program(inst: &Inst) -> bool {
    matches!(
        inst,
        Inst::Unreachable | Inst::UnwindTerminate | Inst::Unsupported { .. } | Inst::Ub { .. } | Inst::LinkError { .. } | Inst::EndOfCode
    )
}

/// The offset into the pointee of a place behind a pointer whose projections after the
/// dereference are fields (`UNKNOWN` for any other).
fn pointee_offset(p: &Place) -> u64 {
    let mut behind = false;
    let mut at = 0u64;
    for proj in p.projs.iter() {
        match proj {
            Proj::Deref { .. } if !behind => behind = true,
            Proj::Field { offset, .. } if behind => at += *offset as u64,
            _ if !behind => {}
            _ => return UNKNOWN,
        }
    }
    at
}

fn is_deref(f: &Function, p: PlaceId) -> bool {
    f.places[p as usize].projs.iter().any(|p| matches!(p, Proj::Deref { .. }))
}

/// Whether an instruction works on registers alone: a register form, or a general one
/// none of whose places and operands goes through a pointer.
fn on_registers_only(f: &Function, inst: &Inst) -> bool {
    let deref = |p: &PlaceId| is_deref(f, *p);
    let op = |o: &Operand| matches!(o, Operand::Place(p) if deref(p));
    match inst {
        Inst::ConstReg { .. }
        | Inst::ConstRegImm { .. }
        | Inst::IntOp { .. }
        | Inst::IntOpImm { .. }
        | Inst::IntOpBranch { .. }
        | Inst::IntOpImmBranch { .. }
        | Inst::FloatOp { .. }
        | Inst::IntCast { .. }
        | Inst::ValidateInitReg { .. }
        | Inst::ValidateScalarReg { .. }
        | Inst::Goto { .. } => true,
        Inst::Move { dst, src, .. } => !deref(dst) && !op(src),
        Inst::BinOp { dst, a, b, .. } => !deref(dst) && !op(a) && !op(b),
        Inst::UnOp { dst, a, .. } | Inst::Cast { dst, src: a, .. } => !deref(dst) && !op(a),
        Inst::SetDiscriminant { place, .. } => !deref(place),
        Inst::SwitchInt { discr: a, .. } | Inst::Assume { cond: a } | Inst::Assert { cond: a, .. } => !op(a),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConstValue, IntTy, Param, SpanId, Unwind, Validity, inline_calls};
    use std::sync::Arc;

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
        let check = VCheck::Ref {
            offset: 0,
            align: 8,
            size: Some(size),
            is_box: false,
            kind,
            unsized_layout: None,
            cells: None,
            may_dangle: false,
        };
        Inst::ValidateRefReg {
            reg,
            validity: Arc::new(Validity { size: 8, checks: vec![check] }),
            nullable: false,
            unobserved: Unobserved::No,
            retag,
        }
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
        f.frame_size = 48;
        f.locals.push(LocalSlot::Mem { ptr_off: 40, size: 8, align: 8 });
        f.places.push(Place { base: crate::PlaceBase::Reg(40), projs: vec![Proj::Deref { fat: false }].into(), align: 8 });
        f
    }

    #[test]
    fn writes_into_a_local_made_after_the_retag_are_harmless() {
        let live = Inst::StorageLive { local: 5 };
        // let end = ..; (a local whose address is taken, written after the retag)
        let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), store(9, 16), load(0, 5), Inst::Return];
        assert_eq!(marked(func_with_local(code)), [0]);
        let code = vec![retag(REF, MUT, RetagMode::Default), live.clone(), store(9, 16), store(5, 16), Inst::Return];
        assert_eq!(marked(func_with_local(code)), [0]);
        // A local made before the retag: the reference may point into it.
        let code = vec![live.clone(), retag(REF, SHARED, RetagMode::Default), store(9, 16), load(0, 5), Inst::Return];
        assert!(marked(func_with_local(code)).is_empty());
        // Its address register overwritten first.
        let other = Inst::MoveReg { dst: 40, src: OTHER, size: 8 };
        let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), other, store(9, 16), load(0, 5), Inst::Return];
        assert!(marked(func_with_local(code)).is_empty());
        // The reference itself stored there.
        let code = vec![retag(REF, SHARED, RetagMode::Default), live.clone(), store(9, REF), load(0, 5), Inst::Return];
        assert!(marked(func_with_local(code)).is_empty());
        // Made on one path only (followed first: the joined path has it on neither).
        let code = vec![
            retag(REF, SHARED, RetagMode::Default),
            Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(3), Label(2)]) },
            live,
            store(9, 16),
            load(0, 5),
            Inst::Return,
        ];
        assert!(marked(func_with_local(code)).is_empty());
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
            Inst::Call {
                callee: Callee::Fn(crate::FnId(1)),
                args: Box::new([(Operand::Reg(16), 8)]),
                dst: 3,
                ret_size: 8,
                target: Some(Label(3)),
                unwind: Unwind::Continue,
                caller_location: None,
            },
            call_with(24),
            Inst::Return,
        ];
        let mut main = func(with_call_target(caller_code, 3));
        mark_unobserved_retags(&mut get, true);
        assert!(matches!(get.code[0], Inst::ValidateRefReg { unobserved: Unobserved::Alone | Unobserved::BesideReads, .. }));
        assert_eq!(inline_calls(&mut main, |g| (g == crate::FnId(1)).then_some(&get)), 1);
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
            let call = Inst::Call {
                callee: Callee::Fn(crate::FnId(1)),
                args: Box::new([(Operand::Reg(16), 8)]),
                dst: 2,
                ret_size: 8,
                target: Some(Label(3)),
                unwind: Unwind::Continue,
                caller_location: None,
            };
            let mut code = vec![Inst::Ref { dst: 2, place: 7, fat: false, inbounds: false }, retag(16, SHARED, RetagMode::Default), call];
            code.extend(after);
            let mut main = func(code);
            assert_eq!(inline_calls(&mut main, |g| (g == crate::FnId(1)).then_some(&id)), 1);
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

    /// `if r24 == 0 { goto a } else { goto b }`.
    fn branch(a: u32, b: u32) -> Inst {
        Inst::SwitchInt { discr: Operand::Reg(24), ty: IntTy::U8, values: Box::new([0]), targets: Box::new([Label(a), Label(b)]) }
    }

    #[test]
    fn zero_sized_retags_and_paths_that_stop_the_program_observe_nothing() {
        // A reference to a zero-sized value retagged beside a shared reference accesses no
        // byte (and is never used itself); one to a `u64` (a `&mut`) writes.
        let code =
            vec![retag(REF, SHARED, RetagMode::Default), retag_of_size(OTHER, MUT, RetagMode::FnEntry, 0), load(24, 5), Inst::Return];
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
        let code = vec![
            retag(REF, SHARED, RetagMode::Default),
            branch(2, 3),
            Inst::MoveReg { dst: 16, src: REF, size: 8 },
            load(0, 5),
            Inst::Return,
        ];
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
        let code = vec![
            retag(REF, MUT, RetagMode::Default),
            branch(2, 3),
            Inst::MoveReg { dst: 16, src: REF, size: 8 },
            store(5, 0),
            Inst::Return,
        ];
        assert!(marked(func(code)).is_empty());
    }

    #[test]
    fn a_move_in_place_reads_only_its_places_pointers() {
        // `r` dead, then a call taking `*other` in place: the call's write cannot observe it.
        let code = vec![
            retag(REF, SHARED, RetagMode::Default),
            load(0, 5),
            Inst::ProtectInPlace { places: Box::new([(7, 8)]) },
            call_with(24),
            Inst::Return,
        ];
        assert_eq!(marked(func(with_call_target(code, 3))), [0]);
        // Moving `*r` itself in place reads the reference.
        let code = vec![
            retag(REF, SHARED, RetagMode::Default),
            load(0, 5),
            Inst::ProtectInPlace { places: Box::new([(5, 8)]) },
            call_with(24),
            Inst::Return,
        ];
        assert!(marked(func(with_call_target(code, 3))).is_empty());
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
}
