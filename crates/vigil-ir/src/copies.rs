//! Copy propagation: a read of a register copy renamed to the copy's source while neither
//! has changed since the copy, then the copies and constants nothing reads removed.
//!
//! MIR renames values through temporaries, and inlining adds a move per parameter and
//! per return: `a = b; c = a; f(c)` is three register copies before the call. Reading `b`
//! where `c` was read makes the same accesses with the same bytes, so the copies go.
//!
//! A register copy (`MoveReg`, `InlineReturn`) keeps the bytes and their initialization
//! exactly. Provenance is kept per word (`Machine::copy_field_regs`): a copy of whole,
//! aligned words is exact in every respect, so any read inside its destination may read
//! the source instead. A smaller copy leaves its destination's word without provenance,
//! which the source's word may still have: it is exact too when its source holds none (an
//! arithmetic result, or a copy of one), else reads of it are renamed only in
//! instructions that use the value alone (integer and float operations, branches), where
//! provenance plays no part.
//!
//! The facts are "register bytes `[dst, dst + size)` hold a copy of `[src, src + size)`"
//! (a copy of a copy names the first source) and "register bytes `[reg, reg + size)` hold
//! no provenance", made by copies and arithmetic (`dataflow::number_written`). A fact ends
//! at anything that may write one of its bytes (`dataflow::may_write`, which answers
//! "anything" for an instruction it does not know, so that a new instruction can only cost a
//! renaming), and at the return of an inlined callee whose registers hold some of them: the caller reads
//! none of those after it (`elide.rs` counts on that). Only the instructions listed in
//! `rename` have reads renamed: a scalar validation with nothing to write (no padding)
//! checks the source's bytes, which are the copy's; a retag, or a validation that clears
//! padding, writes its register and keeps reading its own.
//!
//! Removal uses word liveness (`liveness.rs`), and for a value smaller than a word a search
//! by the byte (`elide::dead_from`): a `MoveReg`, `ConstReg` or `ConstRegImm` whose
//! destination no later instruction may read before overwriting it is removed, and such an
//! `InlineReturn` (a frame boundary, which stays) copies nothing (`size` 0). These never
//! fail, so nothing a program does is lost with them; the validations that follow MIR's
//! copies stay where they were.

use std::collections::HashMap;

use crate::dataflow::{Writes, add_bounded, clears_padding, may_write, number_written};
use crate::elide::{Ranges, Shape, dead_from, shape, successors};
use crate::liveness::LiveWords;
use crate::{Callee, Function, Inst, Operand, Place, PlaceId, Proj};

/// Facts kept per program point, at most (the newest kept).
const MAX_FACTS: usize = 24;
/// Functions longer than this are left as they are (lowering time).
const MAX_CODE: usize = 1 << 15;

/// What holds of some register bytes at a program point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fact {
    /// `[dst, dst + size)` holds a copy of `[src, src + size)` (the two do not overlap),
    /// with its provenance too when whole words were copied or the destination holds none
    /// (a `NoProv` fact, added by a copy of a source without any, ends with the copy: both end
    /// at a write of the destination, and nothing else adds one over it while the copy
    /// holds). Exactness is read off the facts, so that where paths join with and without
    /// the `NoProv`, the copy is kept (inexact).
    Copy { dst: u32, src: u32, size: u32 },
    /// `[reg, reg + size)` holds bytes without provenance (an arithmetic result,
    /// `dataflow::number_written`).
    NoProv { reg: u32, size: u32 },
}

/// How a renamed read uses the bytes it reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// As a number: bytes and initialization only.
    Value,
    /// Possibly with their provenance (copies, arguments, pointers followed).
    Any,
}

/// Whole aligned words: a copy of them keeps provenance exactly.
fn whole_words(dst: u32, src: u32, size: u32) -> bool {
    dst.is_multiple_of(8) && src.is_multiple_of(8) && size.is_multiple_of(8)
}

impl Fact {
    fn meets(&self, (s, e): (u64, u64)) -> bool {
        let hits = |a: u32, size: u32| (a as u64) < e && s < a as u64 + size as u64;
        match *self {
            Fact::Copy { dst, src, size, .. } => hits(dst, size) || hits(src, size),
            Fact::NoProv { reg, size } => hits(reg, size),
        }
    }
}

/// The register `len` bytes at `r` may be read from instead, by the newest fact that
/// allows it: inside a copy's destination, where renaming is exact for `used`.
fn lookup(facts: &[Fact], r: u32, len: u32, used: Use) -> Option<u32> {
    facts.iter().rev().find_map(|c| {
        let Fact::Copy { dst, src, size } = *c else { return None };
        let inside = dst <= r && r as u64 + len as u64 <= dst as u64 + size as u64;
        if !inside || len == 0 {
            return None;
        }
        let exact = whole_words(dst, src, size) || (used == Use::Value && r == dst && len == size) || without_prov(facts, dst, size);
        exact.then(|| src + (r - dst))
    })
}

/// Whether the bytes `[r, r + len)` hold no provenance.
fn without_prov(facts: &[Fact], r: u32, len: u32) -> bool {
    facts.iter().any(|f| matches!(*f, Fact::NoProv { reg, size } if reg <= r && r as u64 + len as u64 <= reg as u64 + size as u64))
}

fn push(facts: &mut Vec<Fact>, fact: Fact) {
    add_bounded(facts, fact, MAX_FACTS)
}

/// Renames copies' reads in `f` to their sources and removes what nothing reads any more;
/// returns how many instructions it removed.
pub fn propagate_copies(f: &mut Function) -> usize {
    if f.code.len() > MAX_CODE {
        return 0;
    }
    rename_copies(f);
    remove_unread(f)
}

/// `propagate_copies` with constant folding (`consts.rs`) between the renaming, which makes
/// reads of copies of constants read the constants, and the removal, which then takes out
/// the constants folding left unread too (one liveness for both). Returns how many
/// instructions it removed.
pub fn propagate_copies_and_constants(f: &mut Function) -> usize {
    if f.code.len() > MAX_CODE {
        return 0;
    }
    rename_copies(f);
    crate::consts::fold_without_removal(f);
    remove_unread(f)
}

/// Renames copies' reads in `f` to their sources.
fn rename_copies(f: &mut Function) {
    if !f.code.iter().any(|i| matches!(i, Inst::MoveReg { .. } | Inst::InlineReturn { .. })) {
        return;
    }
    let mut renamed: Vec<(usize, Inst)> = Vec::new();
    let mut places = NewPlaces { first: f.places.len() as u32, made: Vec::new(), known: HashMap::new() };
    crate::dataflow::forward(
        f,
        |a, b| a == b,
        |_, _| None,
        transfer,
        |pc, facts| {
            if !facts.is_empty()
                && let Some(inst) = rename(f, &f.code[pc], facts, &mut places)
            {
                renamed.push((pc, inst));
            }
        },
    );
    for (pc, inst) in renamed {
        f.code[pc] = inst;
    }
    f.places.extend(places.made);
}

/// The facts after `inst` at `pc`, from those before it.
fn transfer(f: &Function, pc: usize, inst: &Inst, facts: &mut Vec<Fact>) {
    // (Oldest first: a lookup prefers the newest.)
    let made: [Option<Fact>; 3] = match *inst {
        Inst::MoveReg { dst, src, size } | Inst::InlineReturn { dst, src, size, .. } => {
            // A copy of an exact copy copies its source; a small copy is exact when its
            // source holds no provenance (and then its destination holds none either).
            let clean = without_prov(facts, src, size);
            let copy_of = |from: u32| Fact::Copy { dst, src: from, size };
            let from = lookup(facts, src, size, Use::Any);
            // The copy of the copy too: where paths join, the first source may differ
            // between them (a loop's first round) while the copy is the same on each.
            [from.map(|_| copy_of(src)), Some(copy_of(from.unwrap_or(src))), clean.then_some(Fact::NoProv { reg: dst, size })]
        }
        _ => [number_written(f, inst).map(|(reg, size)| Fact::NoProv { reg, size }), None, None],
    };
    match may_write(f, inst) {
        Writes::None => {}
        Writes::Range(s, e) => facts.retain(|c| !c.meets((s, e))),
        Writes::All => facts.clear(),
    }
    for fact in made.into_iter().flatten() {
        let keep = match fact {
            Fact::Copy { dst: d, src: s, size: n, .. } => {
                let (d, s, n) = (d as u64, s as u64, n as u64);
                n > 0 && (d + n <= s || s + n <= d)
            }
            Fact::NoProv { size, .. } => size > 0,
        };
        if keep {
            push(facts, fact);
        }
    }
    if let Inst::InlineReturn { .. } = inst {
        // The callee's registers are free for other uses after its return (`elide.rs`
        // counts on it): the caller reads none of them, not even a copy's source.
        match f.callee_registers_at(pc as u32) {
            Some((regs, size)) => facts.retain(|c| !c.meets((regs as u64, regs as u64 + size as u64))),
            None => facts.clear(),
        }
    }
}

/// Places made for renamed pointers, numbered after the function's own.
struct NewPlaces {
    first: PlaceId,
    made: Vec<Place>,
    known: HashMap<(PlaceId, u32, Vec<u32>), PlaceId>,
}

/// `inst` with its reads renamed, if any is.
fn rename(f: &Function, inst: &Inst, facts: &[Fact], places: &mut NewPlaces) -> Option<Inst> {
    let mut out = inst.clone();
    let mut any = false;
    {
        let mut reg = |r: &mut u32, len: u32, used: Use| {
            if let Some(s) = lookup(facts, *r, len, used) {
                *r = s;
                any = true;
            }
        };
        match &mut out {
            Inst::MoveReg { src, size, .. } | Inst::InlineReturn { src, size, .. } => reg(src, *size, Use::Any),
            Inst::StoreReg { src, size, .. } => reg(src, *size, Use::Any),
            Inst::IntOp { ty, a, b, .. } | Inst::IntOpBranch { ty, a, b, .. } => {
                reg(a, ty.size as u32, Use::Value);
                reg(b, ty.size as u32, Use::Value);
            }
            Inst::IntOpImm { ty, a, .. } | Inst::IntOpImmBranch { ty, a, .. } => reg(a, ty.size as u32, Use::Value),
            Inst::FloatOp { ty, a, b, .. } => {
                let size = crate::ScalarTy::Float(*ty).size();
                reg(a, size, Use::Value);
                reg(b, size, Use::Value);
            }
            Inst::IntCast { from, src, .. } => reg(src, from.size as u32, Use::Value),
            // (A pointer's provenance is part of what a pointer operation reads.)
            Inst::BinOp { lhs, rhs, a, b, .. } => {
                let used =
                    |t: &crate::ScalarTy| if matches!(t, crate::ScalarTy::Ptr | crate::ScalarTy::FatPtr) { Use::Any } else { Use::Value };
                if let Operand::Reg(r) = a {
                    reg(r, lhs.size(), used(lhs));
                }
                if let Operand::Reg(r) = b {
                    reg(r, rhs.size(), used(rhs));
                }
            }
            Inst::SwitchInt { discr: Operand::Reg(r), ty, .. } => reg(r, ty.size as u32, Use::Value),
            Inst::Assert { cond: Operand::Reg(r), .. } => reg(r, 1, Use::Value),
            Inst::Call { callee, args, caller_location, .. } => {
                for (op, size) in args.iter_mut() {
                    if let Operand::Reg(r) = op {
                        reg(r, *size, Use::Any);
                    }
                }
                if let Callee::FnPtr { ptr: Operand::Reg(r), .. } = callee {
                    reg(r, 8, Use::Any);
                }
                if let Some(Operand::Reg(r)) = caller_location {
                    reg(r, 8, Use::Any);
                }
            }
            Inst::Move { src: Operand::Reg(r), size, .. } => reg(r, *size, Use::Any),
            // A check of the value alone, which then writes nothing: the same bytes pass it.
            Inst::ValidateScalarReg { reg: r, validity } | Inst::ValidateInitReg { reg: r, validity } if !clears_padding(validity) => {
                reg(r, validity.size, Use::Any)
            }
            _ => {}
        }
    }
    // Pointers followed by places (and the indices after them).
    let mut place = |p: &mut PlaceId| {
        if let Some(q) = rename_place(f, *p, facts, places) {
            *p = q;
            any = true;
        }
    };
    match &mut out {
        Inst::LoadReg { src, .. } => place(src),
        Inst::StoreReg { dst, .. } => place(dst),
        Inst::Move { dst, src, .. } => {
            place(dst);
            if let Operand::Place(p) = src {
                place(p);
            }
        }
        Inst::Ref { place: p, .. } | Inst::Discriminant { place: p, .. } | Inst::SetDiscriminant { place: p, .. } => place(p),
        _ => {}
    }
    any.then_some(out)
}

/// Place `p` reading its pointer (and its indices) from the copies' sources, if it goes
/// through a pointer and any of them is renamed. A place in the registers is left alone
/// (it may be written).
fn rename_place(f: &Function, p: PlaceId, facts: &[Fact], places: &mut NewPlaces) -> Option<PlaceId> {
    let old = f.places.get(p as usize)?;
    let (Shape::Deref { ptr: (at, end), .. }, _) = shape(old) else { return None };
    let crate::PlaceBase::Reg(mut base) = old.base;
    let mut changed = false;
    if let Some(s) = lookup(facts, at as u32, (end - at) as u32, Use::Any) {
        // (`at` is the base plus the fields before the dereference.)
        base = (base as i64 + s as i64 - at as i64).try_into().ok()?;
        changed = true;
    }
    let mut projs = old.projs.clone();
    let mut indices = Vec::new();
    for proj in projs.iter_mut() {
        if let Proj::Index { index: Operand::Reg(r), .. } = proj {
            if let Some(s) = lookup(facts, *r, 8, Use::Value) {
                *r = s;
                changed = true;
            }
            indices.push(*r);
        }
    }
    if !changed {
        return None;
    }
    let key = (p, base, indices);
    if let Some(&q) = places.known.get(&key) {
        return Some(q);
    }
    let q = places.first + places.made.len() as u32;
    places.made.push(Place { base: crate::PlaceBase::Reg(base), projs, align: old.align });
    places.known.insert(key, q);
    Some(q)
}

/// The part `(offset, length)` of the callee's registers `[regs, regs + size)` an inlined
/// call must make fresh, given the frame words live at its body: from the first live word
/// to the end of the last (all of them for registers not aligned to words).
fn fresh_part(words: &[u64], regs: u32, size: u32) -> (u32, u32) {
    if !regs.is_multiple_of(8) {
        return (0, size);
    }
    let (first, end) = (regs as usize / 8, (regs as usize + size as usize).div_ceil(8));
    let is_live = |w: usize| words.get(w / 64).is_none_or(|x| x & (1 << (w % 64)) != 0);
    let Some(lo) = (first..end).find(|&w| is_live(w)) else { return (0, 0) };
    let hi = (first..end).rev().find(|&w| is_live(w)).unwrap_or(lo) + 1;
    let at = (lo * 8) as u32 - regs;
    let until = ((hi * 8) as u32).min(regs + size);
    (at, until - regs - at)
}

/// Whether no instruction reads any byte of `[start, end)` from `next` on (the successors
/// of a write of them) before overwriting it: by the word, and for less than a word, which
/// may share its word with a value still read, by the byte after a single successor.
pub(crate) fn unread_after(f: &Function, live: &LiveWords, next: &[usize], bytes: (u64, u64)) -> bool {
    !live.any_after(next, bytes) || (bytes.1 - bytes.0 < 8 && next.len() == 1 && dead_from(f, next[0], &Ranges::one(bytes)))
}

/// Removes the register copies and constants whose destination nothing reads before it is
/// overwritten, and narrows what each inlined call makes fresh to what its callee may read
/// before writing; returns how many instructions it removed.
pub(crate) fn remove_unread(f: &mut Function) -> usize {
    let Some(live) = LiveWords::of(f) else { return 0 };
    for inst in f.code.iter_mut() {
        if let Inst::InlineEnter { regs, size, body, fresh_at, fresh_len, .. } = inst
            && let Some(words) = live.words_before(body.0 as usize)
        {
            (*fresh_at, *fresh_len) = fresh_part(words, *regs, *size);
        }
    }
    let mut next = Vec::new();
    // An inlined callee's return of a value nothing reads copies nothing.
    for pc in 0..f.code.len() {
        if let Inst::InlineReturn { dst, size, target, .. } = f.code[pc]
            && size > 0
            && unread_after(f, &live, &[target.0 as usize], (dst as u64, dst as u64 + size as u64))
            && let Inst::InlineReturn { size, .. } = &mut f.code[pc]
        {
            *size = 0;
        }
    }
    let mut dead = vec![false; f.code.len()];
    for (pc, inst) in f.code.iter().enumerate() {
        let (dst, size) = match *inst {
            // (What a copy of whole words to itself leaves is what was there.)
            Inst::MoveReg { dst, src, size } if dst == src && dst.is_multiple_of(8) && size.is_multiple_of(8) => {
                dead[pc] = true;
                continue;
            }
            Inst::MoveReg { dst, size, .. } | Inst::ConstReg { dst, size, .. } | Inst::ConstRegImm { dst, size, .. } => (dst, size),
            _ => continue,
        };
        next.clear();
        successors(pc, inst, &mut next);
        dead[pc] = unread_after(f, &live, &next, (dst as u64, dst as u64 + size as u64));
    }
    let count = dead.iter().filter(|&&d| d).count();
    if count > 0 {
        f.remove_code(&dead);
    }
    count
}

#[cfg(test)]
#[path = "copies_tests.rs"]
mod tests;
