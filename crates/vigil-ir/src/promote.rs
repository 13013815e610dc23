//! Locals moved out of memory into registers: a local in memory whose address only feeds
//! reads in its own function (after inlining, the reads of the callees its references were
//! passed to) lives in registers instead, and those reads read the registers.
//!
//! A local lives in memory because its address is taken (`&x` passed to `eq`, `lt`, `cmp`).
//! Once the callees are inlined, many such references never leave the function: they are
//! made, retagged, copied into an inlined callee's parameter, retagged again at its entry,
//! and read through. The allocation, the tags and the checked loads then cost far more than
//! the reads themselves.
//!
//! Why no verdict changes, for a local this pass accepts (`analyse` checks each condition):
//! - Only this function can reach the allocation: its pointer and the references made from
//!   it are never copied anywhere but into registers this pass follows (no call, store, cast,
//!   comparison or return takes them), so no other thread races on it and no other
//!   pointer's access, retag or deallocation can meet its tags.
//! - The references made from it are shared (`&T`) and only read through, and nothing
//!   writes the local, starts or ends its storage while one of them may still be used
//!   (register liveness): so no access through the local's own pointer can invalidate one
//!   of them under either aliasing model, and none of their reads or retags can fail.
//! - Every access is at a known offset inside the local and aligned to its place's alignment
//!   by the local's own: no bounds, liveness or alignment check can fail.
//! - Registers keep bytes with their initialization and provenance as memory does (the
//!   local's registers keep pointer fragments, as `Function::byte_regs` says), and
//!   `StorageLive` makes them uninitialized (`Inst::Uninit`), as a fresh allocation is.
//!
//! What changes is what no program can observe: allocation numbers and tag numbers, and the
//! addresses that later allocations get.
//!
//! Architecture invariant: the pass runs after inlining (the callees' reads must be in the
//! caller's code) and before the retag elision and the validation removal it feeds.

use crate::dataflow::{Blocks, result_size};
use crate::elide::{Ranges, dead_from, effects, successors};
use crate::{Callee, DiscrKind, Function, Inst, LocalSlot, Operand, Place, PlaceBase, PlaceId, Proj, RefKind, VCheck};

/// Functions longer than this are left alone (the analysis is per local and per instruction).
const MAX_CODE: usize = 20_000;

/// Moves the locals of `f` that qualify into registers; returns how many.
pub fn promote_locals(f: &mut Function) -> usize {
    // (Without inlined calls, a reference to a local goes to a call, which rules it out.)
    if f.code.len() > MAX_CODE || f.inlined.is_empty() || !f.locals.iter().any(|l| matches!(l, LocalSlot::Mem { .. })) {
        return 0;
    }
    let mut slots: Vec<u32> =
        f.locals.iter().filter_map(|l| if let LocalSlot::Mem { ptr_off, .. } = *l { Some(ptr_off) } else { None }).collect();
    slots.sort_unstable();
    let flow = Flow::of(f);
    let mut scratch = Scratch::default();
    // (Each local's analysis is independent of the others': a pointer into one is never a
    // pointer into another, so all are analysed on the code as it is, then moved at once.)
    let mut plans = Vec::new();
    for local in 0..f.locals.len() as u32 {
        let LocalSlot::Mem { ptr_off, size, align } = f.locals[local as usize] else { continue };
        let shared_slot = slots.partition_point(|&p| p <= ptr_off) - slots.partition_point(|&p| p < ptr_off) > 1;
        // (A C-variadic function's last parameter is filled in by the machine.)
        let variadic_param = f.c_variadic && f.params.last().is_some_and(|p| p.local == local);
        if size == 0 || shared_slot || variadic_param {
            continue;
        }
        let target = Target { local, ptr: ptr_off, size: size as u64, align: align as u64 };
        if let Some(plan) = analyse(f, &target, &flow, &mut scratch) {
            plans.push((target, plan));
        }
    }
    let promoted = plans.len();
    if promoted > 0 {
        apply(f, plans);
    }
    promoted
}

/// The local being looked at.
struct Target {
    local: u32,
    /// The register holding its address while it is live.
    ptr: u32,
    size: u64,
    align: u64,
}

/// What a register word holds, where the pass follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    /// A pointer `offset` bytes into the local; `base`: the local's own pointer (the only
    /// one that may write).
    Ptr { offset: u64, base: bool },
    /// On some paths such a pointer, on others something else (or another offset).
    Maybe,
}

/// The registers holding pointers into the local before an instruction, by word offset
/// (sorted); a register not listed holds no such pointer.
type State = Vec<(u32, Held)>;

fn held(state: &State, reg: u32) -> Option<Held> {
    state.iter().find(|e| e.0 == reg).map(|e| e.1)
}

fn set(state: &mut State, reg: u32, h: Option<Held>) {
    match (state.iter().position(|e| e.0 == reg), h) {
        (Some(i), Some(h)) => state[i].1 = h,
        (Some(i), None) => {
            state.remove(i);
        }
        (None, Some(h)) => {
            let at = state.partition_point(|e| e.0 < reg);
            state.insert(at, (reg, h));
        }
        (None, None) => {}
    }
}

/// `into` joined with `from` (what holds on either path); whether `into` changed.
fn join(into: &mut State, from: &State) -> bool {
    let mut out: State = Vec::with_capacity(into.len().max(from.len()));
    for &(r, h) in into.iter() {
        out.push((r, if held(from, r) == Some(h) { h } else { Held::Maybe }));
    }
    for &(r, _) in from.iter() {
        if held(into, r).is_none() {
            out.push((r, Held::Maybe));
        }
    }
    out.sort_unstable_by_key(|e| e.0);
    let changed = out != *into;
    *into = out;
    changed
}

/// How an instruction uses a place.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Read,
    Write,
    /// Its address is taken (`Ref`).
    Addr,
    /// Read and written in place (a retag of the references in it).
    Retag,
    /// Protected for a call's duration (`ProtectInPlace`).
    Protect,
}

/// One use an instruction makes of the frame.
enum Use<'a> {
    /// Register bytes read as a value.
    Reg(u32, u64),
    /// A place, with the bytes accessed there (`None`: not known here).
    Place(&'a Place, PlaceId, Role, Option<u64>),
    /// The return place read by `Return`.
    Return,
}

/// The uses of `inst`: every register read as a value and every place, by role. (An
/// exhaustive match: a new instruction does not compile until it says what it uses.)
fn uses<'a>(f: &'a Function, inst: &'a Inst, out: &mut Vec<Use<'a>>) {
    let place = |p: PlaceId, role, size: Option<u64>| Use::Place(&f.places[p as usize], p, role, size);
    let op = |o: &Operand, size: u64, out: &mut Vec<Use<'a>>| match *o {
        Operand::Reg(r) => out.push(Use::Reg(r, size)),
        Operand::Place(p) => out.push(place(p, Role::Read, Some(size))),
        Operand::Const(_) => {}
    };
    let tag_end = |kind: &DiscrKind| match *kind {
        DiscrKind::Single { .. } => 0,
        DiscrKind::Direct { offset, tag } | DiscrKind::Niche { offset, tag, .. } => offset as u64 + tag.size as u64,
    };
    match inst {
        Inst::Move { dst, src, size } => {
            op(src, *size as u64, out);
            out.push(place(*dst, Role::Write, Some(*size as u64)));
        }
        &Inst::MoveReg { src, size, .. } => out.push(Use::Reg(src, size as u64)),
        &Inst::LoadReg { src, size, .. } => out.push(place(src, Role::Read, Some(size as u64))),
        &Inst::StoreReg { dst, src, size } => {
            out.push(Use::Reg(src, size as u64));
            out.push(place(dst, Role::Write, Some(size as u64)));
        }
        Inst::ConstReg { .. } | Inst::ConstRegImm { .. } => {}
        &Inst::FnPtr { dst, .. } | &Inst::ThreadLocalRef { dst, .. } => out.push(place(dst, Role::Write, Some(8))),
        Inst::BinOp { lhs, rhs, dst, a, b, .. } => {
            op(a, lhs.size() as u64, out);
            op(b, rhs.size() as u64, out);
            out.push(place(*dst, Role::Write, result_size(inst)));
        }
        &Inst::IntOp { ty, a, b, .. } | &Inst::IntOpBranch { ty, a, b, .. } => {
            out.push(Use::Reg(a, ty.size as u64));
            out.push(Use::Reg(b, ty.size as u64));
        }
        &Inst::FloatOp { ty, a, b, .. } => {
            let size = crate::ScalarTy::Float(ty).size() as u64;
            out.push(Use::Reg(a, size));
            out.push(Use::Reg(b, size));
        }
        &Inst::IntCast { from, src, .. } => out.push(Use::Reg(src, from.size as u64)),
        &Inst::IntOpImm { ty, a, .. } | &Inst::IntOpImmBranch { ty, a, .. } => out.push(Use::Reg(a, ty.size as u64)),
        Inst::UnOp { op: o, ty, dst, a } => {
            // (`PtrMetadata` reads the whole pointer.)
            let size = match (o, ty) {
                (crate::UnOp::PtrMetadata, crate::ScalarTy::FatPtr) => 16,
                (crate::UnOp::PtrMetadata, _) => 8,
                _ => ty.size() as u64,
            };
            op(a, size, out);
            out.push(place(*dst, Role::Write, result_size(inst)));
        }
        Inst::Cast { op: c, dst, src } => {
            op(src, c.src_size() as u64, out);
            out.push(place(*dst, Role::Write, result_size(inst)));
        }
        &Inst::Ref { dst, place: p, fat, .. } => {
            out.push(place(p, Role::Addr, None));
            out.push(place(dst, Role::Write, Some(if fat { 16 } else { 8 })));
        }
        Inst::Discriminant { dst, place: p, info } => {
            out.push(place(*p, Role::Read, Some(tag_end(&info.kind))));
            out.push(place(*dst, Role::Write, result_size(inst)));
        }
        Inst::SetDiscriminant { place: p, info, .. } => out.push(place(*p, Role::Write, Some(tag_end(&info.kind)))),
        Inst::Repeat { dst, src, elem_size, count } => {
            op(src, *elem_size as u64, out);
            out.push(place(*dst, Role::Write, (*elem_size as u64).checked_mul(*count)));
        }
        Inst::Unsize { dst, src, src_size, .. } => {
            op(src, *src_size as u64, out);
            out.push(place(*dst, Role::Write, None));
        }
        // (Markers of other locals write only their own pointer registers; `analyse` looks at
        // the target's.)
        Inst::StorageLive { .. } | Inst::StorageDead { .. } | Inst::Uninit { .. } => {}
        Inst::Assume { cond } | Inst::Assert { cond, .. } => op(cond, 1, out),
        Inst::SwitchInt { discr, ty, .. } => op(discr, ty.size as u64, out),
        Inst::Goto { .. } | Inst::InlineEnter { .. } => {}
        Inst::Call { callee, args, dst, ret_size, caller_location, .. } => {
            if let Callee::FnPtr { ptr, .. } = callee {
                op(ptr, 8, out);
            }
            args.iter().for_each(|(o, size)| op(o, *size as u64, out));
            if let Some(loc) = caller_location {
                op(loc, 8, out);
            }
            out.push(place(*dst, Role::Write, Some(*ret_size as u64)));
        }
        Inst::TailCall { callee, args } => {
            if let Callee::FnPtr { ptr, .. } = callee {
                op(ptr, 8, out);
            }
            args.iter().for_each(|(o, size)| op(o, *size as u64, out));
        }
        Inst::Return => out.push(Use::Return),
        &Inst::InlineReturn { src, size, ends, saved, .. } => {
            out.push(Use::Reg(src, size as u64));
            if ends.protects() {
                out.push(Use::Reg(saved, 8));
            }
        }
        Inst::Unreachable
        | Inst::UnwindResume
        | Inst::UnwindTerminate
        | Inst::Unsupported { .. }
        | Inst::EndOfCode
        | Inst::Ub { .. }
        | Inst::LinkError { .. } => {}
        Inst::Validate { place: p, validity, retag } => {
            let role = if *retag == crate::RetagMode::None { Role::Read } else { Role::Retag };
            out.push(place(*p, role, Some(validity.size as u64)));
        }
        Inst::ValidateInitReg { reg, validity }
        | Inst::ValidateScalarReg { reg, validity }
        | Inst::ValidateRefReg { reg, validity, .. } => out.push(Use::Reg(*reg, validity.size as u64)),
        Inst::RetagRaw { place: p, layout, .. } => {
            let size = if matches!(layout, crate::DynLayout::Sized { .. }) { 8 } else { 16 };
            out.push(place(*p, Role::Retag, Some(size)));
        }
        Inst::ProtectInPlace { places } => places.iter().for_each(|&(p, size)| out.push(place(p, Role::Protect, Some(size as u64)))),
        Inst::CheckScalar { src, .. } => op(src, 4, out),
    }
}

/// A place split at its first dereference: the register bytes holding the pointer (with
/// the fields before it), whether the pointer is wide, and the projections after it.
/// `None`: a place without dereference.
fn through_pointer(p: &Place) -> Option<(u32, bool, &[Proj])> {
    let PlaceBase::Reg(mut at) = p.base;
    for (i, proj) in p.projs.iter().enumerate() {
        match *proj {
            Proj::Field { offset, .. } => at += offset,
            Proj::Deref { fat } => return Some((at, fat, &p.projs[i + 1..])),
            _ => return None,
        }
    }
    None
}

/// The register bytes a place without dereference reads or writes (`size` bytes at its
/// fields' offset, or from its start on when an element's index is known only at run time
/// or the size is not known), and in `index`, those its index operands read.
fn register_bytes(p: &Place, size: Option<u64>, index: &mut Vec<(u64, u64)>) -> (u64, u64) {
    let PlaceBase::Reg(base) = p.base;
    let mut at = base as u64;
    let mut exact = true;
    for proj in p.projs.iter() {
        match proj {
            Proj::Field { offset, .. } if exact => at += *offset as u64,
            Proj::Index { index: i, .. } => {
                exact = false;
                index.push(index_reads(i));
            }
            _ => exact = false,
        }
    }
    match (exact, size) {
        (true, Some(size)) => (at, at + size),
        _ => (base as u64, u64::MAX),
    }
}

/// The register bytes an index operand reads (all of them, for a place: not followed here).
fn index_reads(i: &Operand) -> (u64, u64) {
    match *i {
        Operand::Reg(r) => (r as u64, r as u64 + 8),
        Operand::Const(_) => (0, 0),
        Operand::Place(_) => (0, u64::MAX),
    }
}

/// What `analyse` found to change for a local it accepts.
#[derive(Default)]
struct Plan {
    /// Places to read or write in the local's registers instead: (instruction, place,
    /// offset into the local).
    rewrites: Vec<(usize, PlaceId, u64)>,
    /// Instructions that go: the references' making, copies and retags.
    removed: Vec<usize>,
    /// The local's storage markers.
    markers: Vec<usize>,
}

/// The function's blocks: where they start, which instructions fall through, and where
/// each instruction's block ends.
struct Flow {
    blocks: Blocks,
    ends: Vec<u32>,
    /// Per instruction, the register bytes it may read or write (found the first time a
    /// walk asks): one that touches no register holding a pointer into the local changes
    /// nothing for it.
    touches: Vec<std::cell::OnceCell<Ranges>>,
}

impl Flow {
    fn of(f: &Function) -> Flow {
        let blocks = Blocks::of(f);
        let ends = blocks.ends();
        let touches = (0..f.code.len()).map(|_| std::cell::OnceCell::new()).collect();
        Flow { blocks, ends, touches }
    }

    fn touches(&self, f: &Function, pc: usize) -> &Ranges {
        self.touches[pc].get_or_init(|| {
            let inst = &f.code[pc];
            let mut r = effects(f, inst).reads;
            match crate::dataflow::may_write(f, inst) {
                crate::dataflow::Writes::None => {}
                crate::dataflow::Writes::Range(s, e) => r.push((s, e)),
                crate::dataflow::Writes::All => r.full = true,
            }
            r
        })
    }
}

/// Whether the local qualifies, and what to change if it does.
fn analyse(f: &Function, t: &Target, flow: &Flow, scratch: &mut Scratch) -> Option<Plan> {
    let n = f.code.len();
    scratch.clear(n);
    let Scratch { entry, queued, reached } = scratch;
    // The walks start at the function's start, where only a local live from there has its
    // pointer. Nothing holds a pointer into the local before its storage starts: a block
    // entered holding nothing is skipped, but for those that start its storage.
    let mut starts = Vec::new();
    for (pc, inst) in f.code.iter().enumerate() {
        if matches!(*inst, Inst::StorageLive { local } if local == t.local) {
            starts.push((0..=pc).rev().find(|&s| flow.blocks.leader[s]).unwrap_or(0));
        }
    }
    let at_start = if f.always_live.contains(&t.local) { vec![(t.ptr, Held::Ptr { offset: 0, base: true })] } else { Vec::new() };
    entry[0] = Some(at_start);
    reached.push(0);
    queued[0] = true;
    let mut work = vec![0];
    let mut buf = Vec::new();
    let mut next = Vec::new();
    while let Some(start) = work.pop() {
        queued[start] = false;
        let mut state = entry[start].clone().unwrap_or_default();
        let end = walk(f, t, flow, &starts, start, &mut state, &mut buf, None)?;
        next.clear();
        successors(end, &f.code[end], &mut next);
        for &s in &next {
            if s >= n {
                continue;
            }
            let changed = match &mut entry[s] {
                slot @ None => {
                    *slot = Some(state.clone());
                    reached.push(s);
                    true
                }
                Some(old) => join(old, &state),
            };
            if changed && !queued[s] {
                queued[s] = true;
                work.push(s);
            }
        }
    }
    // The fixed point is reached: record what to change, and check that nothing may use a
    // reference where the local is written or its storage starts or ends.
    let mut plan = Plan::default();
    reached.sort_unstable();
    for &start in reached.iter() {
        let mut state = entry[start].clone().unwrap_or_default();
        walk(f, t, flow, &starts, start, &mut state, &mut buf, Some(&mut plan))?;
    }
    plan.markers =
        (0..n).filter(|&pc| matches!(f.code[pc], Inst::StorageLive { local } | Inst::StorageDead { local } if local == t.local)).collect();
    Some(plan)
}

/// `analyse`'s tables, kept from one local to the next: per block start, the state there
/// (`None`: not reached) and whether it waits to be walked, with the blocks reached.
#[derive(Default)]
struct Scratch {
    entry: Vec<Option<State>>,
    queued: Vec<bool>,
    reached: Vec<usize>,
}

impl Scratch {
    /// Empty tables for `n` instructions.
    fn clear(&mut self, n: usize) {
        for &s in &self.reached {
            if let Some(e) = self.entry.get_mut(s) {
                *e = None;
            }
        }
        self.reached.clear();
        self.entry.resize(n, None);
        self.queued.clear();
        self.queued.resize(n, false);
    }
}

/// Carries `state` through the block starting at `start`; returns the block's last
/// instruction, or `None` if an instruction rules the local out. With `plan`, records the
/// changes and checks that the references are dead where the local is written.
#[allow(clippy::too_many_arguments)]
fn walk<'a>(
    f: &'a Function,
    t: &Target,
    flow: &Flow,
    starts: &[usize],
    start: usize,
    state: &mut State,
    buf: &mut Vec<Use<'a>>,
    mut plan: Option<&mut Plan>,
) -> Option<usize> {
    // (A block entered holding nothing that does not start the local's storage changes
    // nothing.)
    if state.is_empty() && !starts.contains(&start) {
        return Some(flow.ends[start] as usize);
    }
    let mut pc = start;
    loop {
        step(f, t, flow, pc, state, buf, plan.as_deref_mut())?;
        if !flow.blocks.falls[pc] || pc + 1 >= f.code.len() || flow.blocks.leader[pc + 1] {
            return Some(pc);
        }
        pc += 1;
    }
}

/// Whether none of the references into the local that `state` holds (not its own pointer)
/// can be read after instruction `pc`.
fn refs_dead_after(f: &Function, pc: usize, state: &State) -> bool {
    let mut next = Vec::new();
    successors(pc, &f.code[pc], &mut next);
    state.iter().filter(|e| !matches!(e.1, Held::Ptr { base: true, .. })).all(|&(r, _)| {
        let live = Ranges::one((r as u64, r as u64 + 8));
        next.iter().all(|&s| dead_from(f, s, &live))
    })
}

/// Carries `state` across instruction `pc`; `None` if the instruction rules the local out.
/// With `plan`, records the instruction's changes, and refuses the local where it is
/// written or its storage starts or ends while a reference in `state` may still be read.
fn step<'a>(
    f: &'a Function,
    t: &Target,
    flow: &Flow,
    pc: usize,
    state: &mut State,
    buf: &mut Vec<Use<'a>>,
    mut plan: Option<&mut Plan>,
) -> Option<()> {
    let inst = &f.code[pc];
    let mut writes_local = false;
    // The target's own markers.
    match *inst {
        Inst::StorageLive { local } | Inst::StorageDead { local } if local == t.local => {
            if plan.is_some() && !refs_dead_after(f, pc, state) {
                return None;
            }
            let base = matches!(*inst, Inst::StorageLive { .. }).then_some(Held::Ptr { offset: 0, base: true });
            set(state, t.ptr, base);
            return Some(());
        }
        _ => {}
    }
    if state.is_empty() || !state.iter().any(|&(r, _)| flow.touches(f, pc).overlaps((r as u64, r as u64 + 8))) {
        return Some(());
    }
    let overlaps = |state: &State, (s, e): (u64, u64)| state.iter().any(|&(r, _)| (r as u64) < e && s < r as u64 + 8);
    // Uses a pointer into the local may have: copied whole, retagged as a shared reference
    // into it, or a place through it.
    let mut made: Option<(u32, Held)> = None;
    let mut removed = false;
    buf.clear();
    uses(f, inst, buf);
    let mut index = Vec::new();
    match *inst {
        Inst::MoveReg { dst, src, size: 8 } | Inst::InlineReturn { dst, src, size: 8, .. } if held(state, src).is_some() => {
            let Some(Held::Ptr { offset, .. }) = held(state, src) else { return None };
            if !dst.is_multiple_of(8) {
                return None;
            }
            if let Inst::InlineReturn { ends, saved, .. } = *inst
                && ends.protects()
                && overlaps(state, (saved as u64, saved as u64 + 8))
            {
                return None;
            }
            made = Some((dst, Held::Ptr { offset, base: false }));
            removed = matches!(inst, Inst::MoveReg { .. });
        }
        Inst::ValidateRefReg { reg, ref validity, nullable: false, .. } if held(state, reg).is_some() => {
            let Some(Held::Ptr { offset, base: false }) = held(state, reg) else { return None };
            if !shared_ref_inside(validity, offset, t) {
                return None;
            }
            // (Its retag writes only the reference, which it leaves pointing where it did.)
            if let Some(plan) = plan {
                plan.removed.push(pc);
            }
            return Some(());
        }
        _ => {
            for u in buf.iter() {
                match *u {
                    Use::Reg(r, size) => {
                        if overlaps(state, (r as u64, r as u64 + size)) {
                            return None;
                        }
                    }
                    Use::Return => {
                        let ret = match through_pointer(&f.ret_place) {
                            Some((at, _, _)) => (at as u64, at as u64 + 16),
                            None => register_bytes(&f.ret_place, Some(f.ret_size as u64), &mut index),
                        };
                        if overlaps(state, ret) || index.iter().any(|&r| overlaps(state, r)) {
                            return None;
                        }
                    }
                    Use::Place(p, pid, role, size) => {
                        index.clear();
                        let Some((at, fat, rest)) = through_pointer(p) else {
                            // A register place: a write is carried below; a read must not read a
                            // pointer into the local.
                            let bytes = register_bytes(p, size, &mut index);
                            if (role != Role::Write && overlaps(state, bytes)) || index.iter().any(|&r| overlaps(state, r)) {
                                return None;
                            }
                            continue;
                        };
                        // Index operands after the dereference read registers too.
                        for proj in rest {
                            if let Proj::Index { index: i, .. } = proj
                                && overlaps(state, index_reads(i))
                            {
                                return None;
                            }
                        }
                        let width = if fat { 16 } else { 8 };
                        if !overlaps(state, (at as u64, at as u64 + width)) {
                            continue;
                        }
                        let Some(Held::Ptr { offset, base }) = held(state, at) else { return None };
                        if fat {
                            return None;
                        }
                        let mut offset = offset;
                        for proj in rest {
                            match *proj {
                                Proj::Field { offset: o, .. } => offset += o as u64,
                                _ => return None,
                            }
                        }
                        match role {
                            Role::Addr => {
                                if offset > t.size {
                                    return None;
                                }
                                let Inst::Ref { dst, fat: false, .. } = *inst else { return None };
                                let d = &f.places[dst as usize];
                                let PlaceBase::Reg(d_reg) = d.base;
                                if !d.projs.is_empty() || !d_reg.is_multiple_of(8) {
                                    return None;
                                }
                                made = Some((d_reg, Held::Ptr { offset, base: false }));
                                removed = true;
                            }
                            // (A place a call uses in place is made uninitialized for the
                            // call, as a write would; in registers it is left as it is, as a
                            // register local's is: the program does not read it again before
                            // writing it.)
                            Role::Read | Role::Write | Role::Retag | Role::Protect => {
                                let size = size?;
                                let align = p.align.max(1) as u64;
                                if offset + size > t.size || !offset.is_multiple_of(align) || align > t.align {
                                    return None;
                                }
                                if role != Role::Read {
                                    if !base {
                                        return None;
                                    }
                                    writes_local = true;
                                }
                                if let Some(plan) = plan.as_deref_mut() {
                                    plan.rewrites.push((pc, pid, offset));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if writes_local && plan.is_some() && !refs_dead_after(f, pc, state) {
        return None;
    }
    if removed && let Some(plan) = plan {
        plan.removed.push(pc);
    }
    // The registers the instruction writes: overwritten whole, a word holds no pointer
    // into the local any more; perhaps or in part, it may or may not. (An instruction
    // writes registers through its destination place, or through register fields.)
    let mut may = Ranges::default();
    let mut to_place = false;
    for u in buf.iter() {
        match *u {
            Use::Place(p, _, Role::Write | Role::Retag, size) => {
                to_place = true;
                if through_pointer(p).is_none() {
                    may.push(register_bytes(p, size, &mut index));
                }
            }
            // (A register place used in place is left as it is.)
            Use::Place(_, _, Role::Protect, _) => to_place = true,
            _ => {}
        }
    }
    if !to_place {
        match crate::dataflow::may_write(f, inst) {
            crate::dataflow::Writes::None => {}
            crate::dataflow::Writes::Range(s, e) => may.push((s, e)),
            crate::dataflow::Writes::All => may.full = true,
        }
    }
    if state.iter().any(|&(r, _)| may.overlaps((r as u64, r as u64 + 8))) {
        let e = effects(f, inst);
        let mut i = 0;
        while i < state.len() {
            let (r, _) = state[i];
            let word = (r as u64, r as u64 + 8);
            let certain = !e.writes.full && e.writes.as_slice().iter().any(|&(s, t)| s <= word.0 && word.1 <= t);
            let possible = may.overlaps(word);
            if certain {
                state.remove(i);
                continue;
            }
            if possible {
                state[i].1 = Held::Maybe;
            }
            i += 1;
        }
    }
    if let Some((reg, h)) = made {
        set(state, reg, Some(h));
    }
    Some(())
}

/// Whether `v` is the validity of a thin shared reference alone, to a sized pointee that
/// lies inside the local at `offset` and is aligned there: then its check cannot fail.
fn shared_ref_inside(v: &crate::Validity, offset: u64, t: &Target) -> bool {
    match v.checks.as_slice() {
        [VCheck::Ref { offset: 0, align, size: Some(size), is_box: false, kind: RefKind::Shared { .. }, unsized_layout: None, .. }]
            if v.size == 8 =>
        {
            let align = (*align).max(1) as u64;
            offset + *size as u64 <= t.size && offset.is_multiple_of(align) && align <= t.align
        }
        _ => false,
    }
}

/// Moves the local into registers at the end of the frame, as `plan` says.
fn apply(f: &mut Function, plans: Vec<(Target, Plan)>) {
    let mut dead = vec![false; f.code.len()];
    let mut touched = Vec::new();
    let mut byte_regs = std::mem::take(&mut f.byte_regs).into_vec();
    for (t, plan) in plans {
        let regs = f.frame_size.next_multiple_of(8);
        let size = (t.size as u32).next_multiple_of(8);
        f.frame_size = regs + size;
        f.locals[t.local as usize] = LocalSlot::Reg { off: regs };
        f.always_live.retain(|&l| l != t.local);
        f.storage_managed.retain(|&l| l != t.local);
        byte_regs.push((regs, t.size as u32));
        for (pc, pid, offset) in plan.rewrites {
            let new = f.places.len() as PlaceId;
            f.places.push(Place::reg(regs + offset as u32));
            f.code[pc].for_each_ref(&mut RenamePlace { from: pid, to: new });
            touched.push(pc);
        }
        for pc in plan.markers {
            match f.code[pc] {
                // A fresh allocation's bytes are uninitialized.
                Inst::StorageLive { .. } => f.code[pc] = Inst::Uninit { reg: regs, size },
                _ => dead[pc] = true,
            }
        }
        for pc in plan.removed {
            dead[pc] = true;
        }
    }
    f.byte_regs = byte_regs.into();
    for pc in touched {
        let inst = std::mem::replace(&mut f.code[pc], Inst::Unreachable);
        f.code[pc] = simplified(inst, &f.places);
    }
    if dead.iter().any(|&d| d) {
        f.remove_code(&dead);
    }
    unprotect_inlined_calls(f);
}

/// Inlined calls whose callee no longer retags anything at entry (its arguments' retags were
/// references into locals now in registers, and went) protect nothing: their `InlineEnter`
/// and `InlineReturn`s no longer save, restore and end protectors.
fn unprotect_inlined_calls(f: &mut Function) {
    for r in f.inlined.clone() {
        if !matches!(f.code[r.call as usize], Inst::InlineEnter { protects: true, .. }) {
            continue;
        }
        // The callee's own code: its range without the ranges of the calls inlined into it.
        let own: Vec<usize> = (r.start..r.end).filter(|&pc| f.inlined_at(pc) == Some(&r)).map(|pc| pc as usize).collect();
        if own.iter().any(|&pc| f.code[pc].is_entry_retag()) {
            continue;
        }
        if let Inst::InlineEnter { protects, .. } = &mut f.code[r.call as usize] {
            *protects = false;
        }
        for pc in own {
            if let Inst::InlineReturn { ends, .. } = &mut f.code[pc] {
                *ends = crate::InlineEnd::Call;
            }
        }
    }
}

/// Renames one place.
struct RenamePlace {
    from: PlaceId,
    to: PlaceId,
}

impl crate::RefVisitor for RenamePlace {
    fn reg(&mut self, _: &mut u32) {}
    fn place(&mut self, place: &mut PlaceId) {
        if *place == self.from {
            *place = self.to;
        }
    }
    fn konst(&mut self, _: &mut crate::ConstId) {}
    fn local(&mut self, _: &mut u32) {}
}

/// The plain register place `p` is, if it is one.
fn plain_reg(places: &[Place], p: PlaceId) -> Option<u32> {
    let place = &places[p as usize];
    let PlaceBase::Reg(r) = place.base;
    place.projs.is_empty().then_some(r)
}

/// A copy between plain registers as the register copy it is.
fn simplified(inst: Inst, places: &[Place]) -> Inst {
    match inst {
        Inst::LoadReg { dst, src, size } => match plain_reg(places, src) {
            Some(src) => Inst::MoveReg { dst, src, size },
            None => inst,
        },
        Inst::StoreReg { dst, src, size } => match plain_reg(places, dst) {
            Some(dst) => Inst::MoveReg { dst, src, size },
            None => inst,
        },
        Inst::Move { dst, src, size } => {
            let src = match src {
                Operand::Place(p) => plain_reg(places, p).map_or(src, Operand::Reg),
                other => other,
            };
            match (plain_reg(places, dst), src) {
                (Some(dst), Operand::Reg(src)) => Inst::MoveReg { dst, src, size },
                _ => Inst::Move { dst, src, size },
            }
        }
        other => other,
    }
}

#[cfg(test)]
#[path = "promote_tests.rs"]
mod tests;
