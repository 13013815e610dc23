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
//! reads the same bytes through a tag the same accesses remove. And an access to another
//! allocation touches none of the reference's bytes: a local's allocation made after the
//! retag (`let end = self.end;` before `self.ptr == end` compares through `&end`), or made
//! after the parent's root pointer (`kin_at`: every local's when the root is a parameter,
//! every other local's when it is a local's address; `Ord::max` compares `&self` and
//! `&other`, two locals).
//!
//! Reads through other pointers beside a shared reference are told to the machine
//! (`Unobserved::BesideReads`: under Stacked Borrows a read disables a `Unique` parent
//! below it, and the reference must then have a tag of its own), except reads through the
//! parent's kin: pointers holding the parent's tag or its descendants' (`kin_at`), which
//! cannot disable it. A retag an inlined callee marked `BesideReads` is searched again in
//! the caller, which may know where the callee's other pointers come from (`Range::next`'s
//! `&self.start < &self.end`).

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::{
    Callee, Function, Inlined, Inst, IntOp, Label, LocalSlot, Operand, Place, PlaceId, Proj, RefKind, RetagMode, Unobserved, VCheck,
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
    let preds = single_preds(f);
    let stable = stable_local_ptrs(f);
    let mut trail = Vec::new();
    for pc in 0..f.code.len() {
        // (A retag an inlined callee's lowering marked `BesideReads` is searched again: the
        // caller may tell where the other pointers come from. It stays marked if not.)
        let Inst::ValidateRefReg { reg, validity, nullable: false, unobserved: was @ (Unobserved::No | Unobserved::BesideReads), retag } =
            &f.code[pc]
        else {
            continue;
        };
        let was = *was;
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
        let (kin, fresh) = if zst { (RegSet::default(), RegSet::default()) } else { kin_at(f, pc, reg, &preds, &stable, &mut trail) };
        let kin = if shared { kin } else { RegSet::default() };
        let path = Path { live: Ranges::one((reg, reg + 8)), protected: retag.is_fn_entry() && !zst, fresh, kin, offsets: 0 };
        if start.unobserved(pc + 1, path, &mut scratch) {
            let mark = if start.reads_beside.get() { Unobserved::BesideReads } else { Unobserved::Alone };
            let Inst::ValidateRefReg { unobserved, .. } = &mut f.code[pc] else { unreachable!() };
            *unobserved = mark;
            marked += usize::from(was == Unobserved::No);
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
pub(crate) fn ref_kind(v: &crate::Validity) -> Option<RefKind> {
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

    pub(crate) fn one(r: (u64, u64)) -> Ranges {
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

    pub(crate) fn push(&mut self, r: (u64, u64)) {
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

    pub(crate) fn overlaps(&self, (s, e): (u64, u64)) -> bool {
        self.full || self.as_slice().iter().any(|&(a, b)| a < e && s < b)
    }

    /// Whether any byte is in both.
    pub(crate) fn meets(&self, other: &Ranges) -> bool {
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

/// A set of register words (the 8 bytes at each offset), at most `RegSet::MAX` of them;
/// past that, an insertion is dropped, which only says "observed" more often for both of
/// its uses: a path's fresh allocations and its kin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RegSet {
    regs: [u32; RegSet::MAX],
    n: u8,
}

impl RegSet {
    const MAX: usize = 8;

    fn holds(&self, reg: u64) -> bool {
        self.regs[..self.n as usize].iter().any(|&r| r as u64 == reg)
    }

    fn insert(&mut self, reg: u64) {
        let Ok(reg) = u32::try_from(reg) else { return };
        if (self.n as usize) < RegSet::MAX && !self.holds(reg as u64) {
            self.regs[self.n as usize] = reg;
            self.n += 1;
        }
    }

    /// Forgets the registers with a byte in `[start, end)`.
    fn forget(&mut self, (start, end): (u64, u64)) {
        let mut out = RegSet::default();
        for &r in &self.regs[..self.n as usize] {
            if (r as u64) + 8 <= start || end <= r as u64 {
                out.insert(r as u64);
            }
        }
        *self = out;
    }

    /// The registers both hold.
    fn meet(&self, other: &RegSet) -> RegSet {
        let mut out = RegSet::default();
        self.regs[..self.n as usize].iter().filter(|&&r| other.holds(r as u64)).for_each(|&r| out.insert(r as u64));
        out
    }

    /// Forgets what `inst` at `pc` may overwrite (the callee's registers too, at an inlined
    /// return: they are free for other uses after it).
    fn forget_writes(&mut self, f: &Function, pc: usize, inst: &Inst) {
        match *inst {
            Inst::InlineReturn { dst, size, .. } => {
                self.forget((dst as u64, dst as u64 + size as u64));
                match f.callee_registers_at(pc as u32) {
                    Some((regs, size)) => self.forget((regs as u64, regs as u64 + size as u64)),
                    None => *self = RegSet::default(),
                }
            }
            _ => match crate::dataflow::may_write(f, inst) {
                crate::dataflow::Writes::None => {}
                crate::dataflow::Writes::Range(start, end) => self.forget((start, end)),
                crate::dataflow::Writes::All => *self = RegSet::default(),
            },
        }
    }

    /// The words of `self` inside `[src, src + size)`, moved to `dst`.
    fn moved(&self, src: u64, dst: u64, size: u64) -> RegSet {
        let mut out = RegSet::default();
        for &r in &self.regs[..self.n as usize] {
            let r = r as u64;
            if src <= r && r + 8 <= src + size {
                out.insert(r - src + dst);
            }
        }
        out
    }

    /// Other allocations (`Path::fresh`) after `inst` at `pc`: a local's allocation made
    /// (`StorageLive`) after the retag on the path is one, and pointers derived from
    /// pointers into one point into it (`derived_after`).
    fn fresh_after(&mut self, f: &Function, pc: usize, inst: &Inst) {
        match *inst {
            Inst::StorageLive { local } => {
                if let Some(&LocalSlot::Mem { ptr_off, .. }) = f.locals.get(local as usize) {
                    self.forget((ptr_off as u64, ptr_off as u64 + 8));
                    self.insert(ptr_off as u64);
                }
            }
            _ => self.derived_after(f, pc, inst),
        }
    }

    /// Pointers derived from those in `self` after `inst` at `pc` (kin, `Path::kin`, or
    /// pointers into other allocations, `Path::fresh`): a field's address taken through one
    /// and a copy of one are derived from it, and so is one retagged (its new tag is a
    /// descendant of its old one, its address the same); any other write ends what a
    /// register held.
    fn derived_after(&mut self, f: &Function, pc: usize, inst: &Inst) {
        if self.n == 0 {
            return;
        }
        match *inst {
            Inst::Ref { dst, place, .. } => {
                let derived = match shape(&f.places[place as usize]).0 {
                    Shape::Deref { ptr: (at, _), plain: true } => self.holds(at),
                    _ => false,
                };
                self.forget_writes(f, pc, inst);
                if let (true, Shape::Reg(d)) = (derived, shape(&f.places[dst as usize]).0) {
                    self.insert(d);
                }
            }
            Inst::MoveReg { dst, src, size } | Inst::InlineReturn { dst, src, size, .. } => {
                let copies = self.moved(src as u64, dst as u64, size as u64);
                self.forget_writes(f, pc, inst);
                copies.regs[..copies.n as usize].iter().for_each(|&r| self.insert(r as u64));
            }
            Inst::ValidateRefReg { reg, .. } if self.holds(reg as u64) => {}
            _ => self.forget_writes(f, pc, inst),
        }
    }

    /// Whether place `p` lies in memory of a fresh allocation (fields of the pointee of a
    /// register in `self`, no pointer in it followed, no index read).
    fn covers_place(&self, f: &Function, p: PlaceId) -> bool {
        let Some(place) = f.places.get(p as usize) else { return false };
        matches!(shape(place), (Shape::Deref { ptr: (at, end), plain: true }, None) if end == at + 8 && self.holds(at))
    }

    /// Whether place `p` is read through a kin pointer alone: behind a register in `self`,
    /// no pointer in it followed (index registers are read too, but they are no pointers).
    fn reads_place(&self, f: &Function, p: PlaceId) -> bool {
        let Some(place) = f.places.get(p as usize) else { return false };
        matches!(shape(place).0, Shape::Deref { ptr: (at, end), plain: true } if end >= at + 8 && self.holds(at))
    }
}

/// The kin of the retag at `pc` of register `reg`: registers that hold, right before it,
/// the retag's parent's tag or its descendants; more exactly, the tag or the descendants
/// of a root tag Q where the parent is Q itself or a shared (`SharedReadOnly`) descendant
/// of it. A read through a kin pointer cannot disable the parent (Stacked Borrows: a read
/// disables only `Unique` items above its granting item, a descendant's item lies above
/// its ancestor's, and a `SharedReadOnly` item is never disabled by a read), so such reads
/// are no `Unobserved::BesideReads`.
///
/// The parent's value is followed back through the instructions before the retag while
/// each has a single predecessor (field addresses through a pointer and copies carry the
/// same tag; a read-only retag of a reference to a value without `UnsafeCell` makes it a
/// `SharedReadOnly` child or, elided, leaves it); then the kin are found forward from the
/// root along the same instructions.
///
/// Also returns the registers that hold, right before the retag, pointers into allocations
/// of locals the parent's pointee is not in (`Path::fresh`): where the root is a
/// parameter, every local's (made after it); where it is a local's address, every other
/// local's. Their pointers are followed forward from the root too.
fn kin_at(f: &Function, pc: usize, reg: u64, preds: &[u32], stable: &RegSet, trail: &mut Vec<usize>) -> (RegSet, RegSet) {
    const MAX_BACK: usize = 32;
    trail.clear();
    let mut cur = reg;
    let mut at = pc;
    let mut root = Root::Unknown;
    while trail.len() < MAX_BACK {
        let Some(&p) = preds.get(at) else { break };
        if p == ENTRY && is_param(f, cur) {
            root = Root::Entry;
        }
        if p >= ENTRY {
            break;
        }
        let p = p as usize;
        let word = (cur, cur + 8);
        let overlaps = |(s, e): (u64, u64)| s < word.1 && word.0 < e;
        match f.code[p] {
            Inst::Ref { dst, place, .. } if matches!(shape(&f.places[dst as usize]).0, Shape::Reg(d) if d == cur) => {
                match shape(&f.places[place as usize]).0 {
                    Shape::Deref { ptr: (ptr, _), plain: true } => cur = ptr,
                    _ => break,
                }
            }
            Inst::MoveReg { dst, src, size } | Inst::InlineReturn { dst, src, size, .. }
                if overlaps((dst as u64, dst as u64 + size as u64)) =>
            {
                if !(dst as u64 <= cur && cur + 8 <= dst as u64 + size as u64) {
                    break;
                }
                cur = cur - dst as u64 + src as u64;
            }
            Inst::ValidateRefReg { reg: r, ref validity, retag, .. } if r as u64 == cur => {
                let read_only = matches!(ref_kind(validity), Some(RefKind::Shared { freeze: true }))
                    && matches!(retag, RetagMode::Default | RetagMode::FnEntry | RetagMode::FnEntryNoImplicitWrites);
                if !read_only {
                    break;
                }
            }
            ref inst => match crate::dataflow::may_write(f, inst) {
                crate::dataflow::Writes::None => {}
                crate::dataflow::Writes::Range(s, e) if !overlaps((s, e)) => {
                    // (An inlined return also frees the callee's registers; `derived_after`
                    // replays it.)
                }
                _ => break,
            },
        }
        trail.push(p);
        at = p;
    }
    if root == Root::Unknown && stable.holds(cur) {
        root = Root::Local(cur);
    }
    let mut kin = RegSet::default();
    kin.insert(cur);
    let mut others = RegSet::default();
    match root {
        Root::Entry => others = *stable,
        Root::Local(own) => {
            others = *stable;
            others.forget((own, own + 8));
        }
        Root::Unknown => {}
    }
    for &p in trail.iter().rev() {
        kin.derived_after(f, p, &f.code[p]);
        others.fresh_after(f, p, &f.code[p]);
    }
    // (The retag's own register holds the reference, followed as `Path::live`.)
    kin.forget((reg, reg + 8));
    others.forget((reg, reg + 8));
    (kin, others)
}

/// Where the root of a retag's parent (`kin_at`) comes from, which tells allocations the
/// reference cannot point into. (A parameter's pointer could be a wildcard one, which may
/// reach any exposed allocation: it never counts as pointing into another allocation.)
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Root {
    /// A parameter, unchanged since the function's start: memory made before any of its
    /// locals' allocations.
    Entry,
    /// The address of the allocation of the local whose address register this is
    /// (`stable_local_ptrs`): no other local's.
    Local(u64),
    Unknown,
}

/// Whether register word `reg` lies in a parameter passed in registers.
fn is_param(f: &Function, reg: u64) -> bool {
    f.params.iter().any(|p| match f.locals.get(p.local as usize) {
        Some(&LocalSlot::Reg { off }) => {
            let start = off as u64 + p.offset as u64;
            start <= reg && reg + 8 <= start + p.size as u64
        }
        _ => false,
    })
}

/// The address registers of locals in memory (at most `RegSet::MAX`) that nothing but
/// their locals' `StorageLive` and `StorageDead` writes: each holds, wherever it is read,
/// the address of an allocation its local's `StorageLive` (or the function's start) made,
/// which no other register's allocation is.
fn stable_local_ptrs(f: &Function) -> RegSet {
    let mut candidates = RegSet::default();
    for slot in &f.locals {
        if let &LocalSlot::Mem { ptr_off, .. } = slot {
            candidates.insert(ptr_off as u64);
        }
    }
    if candidates.n == 0 {
        return candidates;
    }
    let mut next = Vec::new();
    for (pc, inst) in f.code.iter().enumerate() {
        // (An instruction after which nothing in the function runs: it leaves the function
        // or stops the program, and writes no register anything reads.)
        next.clear();
        successors(pc, inst, &mut next);
        if next.is_empty() {
            continue;
        }
        let writes = match *inst {
            Inst::StorageLive { .. } | Inst::StorageDead { .. } => continue,
            // A call writes its destination alone of the caller's registers.
            Inst::Call { dst, ret_size, .. } => crate::dataflow::place_write(f, dst, Some(ret_size as u64)),
            _ => crate::dataflow::may_write(f, inst),
        };
        match writes {
            crate::dataflow::Writes::None => {}
            crate::dataflow::Writes::Range(s, e) => candidates.forget((s, e)),
            crate::dataflow::Writes::All => return RegSet::default(),
        }
        if candidates.n == 0 {
            break;
        }
    }
    candidates
}

/// `preds[pc]`: the one instruction that can run right before `pc`, `ENTRY` (the function's
/// start, and nothing else), or `MANY_PREDS` (none, several, or the start and others).
fn single_preds(f: &Function) -> Vec<u32> {
    const NONE: u32 = MANY_PREDS + 1;
    let mut preds = vec![NONE; f.code.len()];
    if let Some(p) = preds.first_mut() {
        *p = ENTRY;
    }
    let mut next = Vec::new();
    for (pc, inst) in f.code.iter().enumerate() {
        next.clear();
        successors(pc, inst, &mut next);
        for &s in &next {
            if let Some(p) = preds.get_mut(s) {
                *p = if *p == NONE { pc as u32 } else { MANY_PREDS };
            }
        }
    }
    preds.iter_mut().filter(|p| **p == NONE).for_each(|p| *p = MANY_PREDS);
    preds
}

/// In `single_preds`' table: no single predecessor.
const MANY_PREDS: u32 = u32::MAX - 1;
/// In `single_preds`' table: only the function's start.
const ENTRY: u32 = u32::MAX - 2;

/// A path's state at an instruction: the reference's copies, whether its protector is still
/// active, the fresh allocations' registers, and the sum of the offsets of the field
/// addresses taken through copies (at least any copy's offset into the pointee; `UNKNOWN`
/// once one is not known).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Path {
    live: Ranges,
    protected: bool,
    fresh: RegSet,
    /// Beside a shared reference: registers holding pointers whose reads cannot disable the
    /// parent (`kin_at`).
    kin: RegSet,
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
    pub(crate) fn write_place(&mut self, f: &Function, p: PlaceId, size: Option<u64>) {
        let (s, index) = shape(&f.places[p as usize]);
        self.reads.extend(index);
        match (s, size) {
            (Shape::Reg(at), Some(size)) => self.writes.push((at, at + size)),
            (Shape::Reg(_), None) => {}
            (Shape::Deref { ptr, .. }, _) => self.reads.push(ptr),
        }
    }

    pub(crate) fn read_operand(&mut self, f: &Function, op: &Operand, size: u64) {
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
            e.read_operand(f, src, op.src_size() as u64);
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
        // (The callee's registers made fresh, and for one that protects, the call id saved
        // after them.)
        &Inst::InlineEnter { regs, size, protects, .. } => {
            e.writes.push((regs as u64, regs as u64 + size as u64 + if protects { 8 } else { 0 }))
        }
        &Inst::Uninit { reg, size } => e.writes.push((reg as u64, reg as u64 + size as u64)),
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
pub(crate) fn dead_from(f: &Function, pc: usize, live: &Ranges) -> bool {
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
                    joined.kin = old.kin.meet(&path.kin);
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
                path.fresh.fresh_after(f, pc, inst);
            }
            path.kin.derived_after(f, pc, inst);
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
        let Path { live, protected, fresh, kin, offsets } = path;
        match inst {
            &Inst::LoadReg { dst, src, size } => {
                match self.through(src, size, live) {
                    Some(true) if self.zst && size > 0 => return Step::Observed,
                    Some(true) => {}
                    Some(false) if self.other_read(src, kin, fresh) => {}
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
                    return if harmless || self.other_reborrow(r.0, reads, kin, fresh) { Step::Next } else { Step::Observed };
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
                    // (Its reads then go through a descendant of the parent: kin.)
                    live.remove((r.0, r.0 + 8));
                    kin.insert(r.0);
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
            // `&raw const` of a frozen place: a read-only reborrow (Stacked Borrows) of the
            // pointer it is made through.
            &Inst::RetagRaw { place, kind, .. } => {
                let (Shape::Reg(at), None) = shape(&f.places[place as usize]) else { return Step::Observed };
                let word = (at, at + 8);
                let reads = matches!(kind, RefKind::Raw { mutable: false, freeze: true });
                if live.covers(word) && self.shared && !self.zst && reads {
                    // Of the reference itself: as its own reborrow (`same_value` below), and
                    // its uses go on being the reference's.
                    return Step::Next;
                }
                if live.overlaps((at, at + 16)) || self.zst || !self.other_reborrow(at, reads, kin, fresh) {
                    return Step::Observed;
                }
                Step::Next
            }
            // A pointer's metadata (a slice's length, a vtable): no use of its tag. (A thin
            // pointer's is `()`, no byte.)
            &Inst::UnOp { op: crate::UnOp::PtrMetadata, ty, dst, a: Operand::Reg(_) } if on_registers_only(f, inst) => {
                let Shape::Reg(d) = shape(&f.places[dst as usize]).0 else { return Step::Observed };
                if ty == crate::ScalarTy::FatPtr {
                    live.remove((d, d + 8));
                }
                Step::Next
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
                    (Some(false), Shape::Reg(_)) if self.other_read(place, kin, fresh) => {}
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
                Some(false) if self.other_read(place, kin, fresh) => Step::Next,
                _ => Step::Observed,
            },
            // On registers alone: harmless unless it reads the reference.
            _ if on_registers_only(f, inst) => self.plain(&e(), live),
            _ => Step::Observed,
        }
    }

    /// Whether a read of place `p` through another pointer than the reference's copies may
    /// go on: one not through a pointer, through a kin pointer beside a shared reference (it
    /// cannot disable the parent), or into another allocation (none of the reference's
    /// bytes) is harmless; any other beside a shared reference is told
    /// (`Unobserved::BesideReads`); beside a `&mut`, it observes.
    fn other_read(&self, p: PlaceId, kin: &RegSet, fresh: &RegSet) -> bool {
        let f = self.f;
        if self.zst || !is_deref(f, p) || fresh.reads_place(f, p) || (self.shared && kin.reads_place(f, p)) {
            return true;
        }
        self.told_beside()
    }

    /// Whether a reborrow (another reference's retag, a `&raw`) of the pointer at register
    /// word `at`, `read_only` or not, may go on: one into another allocation is harmless; a
    /// read-only one is a read through that pointer (`other_read`).
    fn other_reborrow(&self, at: u64, read_only: bool, kin: &RegSet, fresh: &RegSet) -> bool {
        if fresh.holds(at) || (read_only && self.shared && kin.holds(at)) {
            return true;
        }
        read_only && self.told_beside()
    }

    /// A read through another pointer: told beside a shared reference, observed beside a
    /// `&mut`.
    fn told_beside(&self) -> bool {
        if self.shared {
            self.reads_beside.set(true);
        }
        self.shared
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

pub(crate) fn is_deref(f: &Function, p: PlaceId) -> bool {
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
#[path = "elide_tests.rs"]
mod tests;
