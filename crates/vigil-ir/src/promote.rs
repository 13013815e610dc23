//! Locals moved out of memory into registers: a local in memory whose address only feeds
//! accesses in its own function (after inlining, those of the callees its references were
//! passed to) lives in registers instead, and those accesses use the registers.
//!
//! A local lives in memory because its address is taken (`&x` passed to `eq`, `lt`, `cmp`;
//! `&mut iter` passed to `next`).
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
//! - The references made from it keep a stack discipline, followed per tag (the retag that
//!   made it, its parent, `&T` or `&mut T`, its protector): an access or retag through a
//!   tag happens only where every other tag the program may still use (register liveness),
//!   and every protected tag, is one of its ancestors, or a shared reference and the access
//!   a read; writes go only through the local's own pointer or `&mut`s made from it; the
//!   end of a protector (Tree Borrows' access through the protected tag, which spares its
//!   descendants) and the start or end of the storage likewise. Under Stacked Borrows such
//!   an access pops only tags never used again and never a protected one; under Tree
//!   Borrows it makes foreign only to such tags, or reads foreign to shared ones. So no
//!   access, retag or protector's end can fail or invalidate a tag still used.
//! - Every access is at a known offset inside the local and aligned to its place's alignment
//!   by the local's own: no bounds, liveness or alignment check can fail.
//! - Registers keep bytes with their initialization and provenance as memory does (the
//!   local's registers keep pointer fragments, as `Function::byte_regs` says), and
//!   `StorageLive` makes them uninitialized (`Inst::Uninit`), as a fresh allocation is.
//!
//! What changes is what no program can observe: allocation numbers and tag numbers, and the
//! addresses that later allocations get. (With threads, also what an address reused from
//! another thread's freed local would have synchronized: a thread-private local that never
//! had an address synchronizes nothing, as a real stack does.)
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
    /// A pointer `offset` bytes into the local, with the tag `tag`.
    Ptr { offset: u64, tag: Tag },
    /// On some paths such a pointer, on others something else (or another offset or tag).
    Maybe,
}

/// A tag of the local's allocation, named by the instruction that makes it (a reference's
/// retag), or `BASE`: the local's own pointer's.
type Tag = u32;
const BASE: Tag = u32::MAX;

/// A reference's tag: made from `parent`'s, `&mut` or `&`, and protected while the code
/// of an inlined call (`[start, end)`) runs, when a function-entry retag made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TagInfo {
    tag: Tag,
    parent: Tag,
    mutable: bool,
    protected: Option<(u32, u32)>,
}

/// The tags the references into the local get, as the walks meet their retags.
#[derive(Default)]
struct Tags(Vec<TagInfo>);

impl Tags {
    fn get(&self, tag: Tag) -> Option<&TagInfo> {
        self.0.iter().find(|i| i.tag == tag)
    }

    /// Records `info`; `false` if the same retag was seen with another parent or kind.
    fn record(&mut self, info: TagInfo) -> bool {
        match self.get(info.tag) {
            Some(old) => *old == info,
            None => {
                self.0.push(info);
                true
            }
        }
    }

    /// Whether `a` is `t` or one of the tags `t` was made from.
    fn is_ancestor_or_self(&self, a: Tag, mut t: Tag) -> bool {
        loop {
            if t == a {
                return true;
            }
            match self.get(t) {
                Some(i) => t = i.parent,
                None => return false,
            }
        }
    }

    /// Whether writes through `t` are the program's to make: the local's own pointer, or a
    /// `&mut` made from one such.
    fn mutable(&self, t: Tag) -> bool {
        t == BASE || self.get(t).is_some_and(|i| i.mutable)
    }

    /// Whether an access of `kind` through `via` leaves `t` usable under both models:
    /// `t` is `via` or one of its ancestors, or a shared reference and the access a read.
    /// (A write through a tag, or its `&mut` retag, invalidates every other tag but its
    /// ancestors; a read, every `&mut` but its ancestors.)
    fn spared(&self, t: Tag, via: Tag, kind: Access) -> bool {
        self.is_ancestor_or_self(t, via) || (kind == Access::Read && !self.mutable(t))
    }

    /// The protected tags at `pc`: made by an entry retag of an inlined call whose code,
    /// after that retag, holds `pc`.
    fn protected_at(&self, pc: usize) -> impl Iterator<Item = &TagInfo> {
        self.0.iter().filter(move |i| matches!(i.protected, Some((_, end)) if (i.tag as usize) < pc && pc < end as usize))
    }
}

/// An access through a pointer into the local (a retag's included: a `&mut` one writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Read,
    Write,
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
    let Scratch { entry, queued, reached, tags } = scratch;
    // The walks start at the function's start, where only a local live from there has its
    // pointer. Nothing holds a pointer into the local before its storage starts: a block
    // entered holding nothing is skipped, but for those that start its storage.
    let mut starts = Vec::new();
    for (pc, inst) in f.code.iter().enumerate() {
        if matches!(*inst, Inst::StorageLive { local } if local == t.local) {
            starts.push((0..=pc).rev().find(|&s| flow.blocks.leader[s]).unwrap_or(0));
        }
    }
    let at_start = if f.always_live.contains(&t.local) { vec![(t.ptr, Held::Ptr { offset: 0, tag: BASE })] } else { Vec::new() };
    entry[0] = Some(at_start);
    reached.push(0);
    queued[0] = true;
    let mut work = vec![0];
    let mut buf = Vec::new();
    let mut next = Vec::new();
    while let Some(start) = work.pop() {
        queued[start] = false;
        let mut state = entry[start].clone().unwrap_or_default();
        let end = walk(f, t, flow, &starts, start, &mut state, &mut buf, tags, None)?;
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
        walk(f, t, flow, &starts, start, &mut state, &mut buf, tags, Some(&mut plan))?;
    }
    plan.markers =
        (0..n).filter(|&pc| matches!(f.code[pc], Inst::StorageLive { local } | Inst::StorageDead { local } if local == t.local)).collect();
    Some(plan)
}

/// `analyse`'s tables, kept from one local to the next: per block start, the state there
/// (`None`: not reached) and whether it waits to be walked, with the blocks reached; the
/// tags of the references into the local.
#[derive(Default)]
struct Scratch {
    entry: Vec<Option<State>>,
    queued: Vec<bool>,
    reached: Vec<usize>,
    tags: Tags,
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
        self.tags.0.clear();
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
    tags: &mut Tags,
    mut plan: Option<&mut Plan>,
) -> Option<usize> {
    // (A block entered holding nothing that does not start the local's storage changes
    // nothing.)
    if state.is_empty() && !starts.contains(&start) {
        return Some(flow.ends[start] as usize);
    }
    let mut pc = start;
    loop {
        step(f, t, flow, pc, state, buf, tags, plan.as_deref_mut())?;
        if !flow.blocks.falls[pc] || pc + 1 >= f.code.len() || flow.blocks.leader[pc + 1] {
            return Some(pc);
        }
        pc += 1;
    }
}

/// Whether instruction `pc` overwrites register word `reg` whole.
fn overwritten(f: &Function, pc: usize, reg: u32) -> bool {
    let w = effects(f, &f.code[pc]).writes;
    !w.full && w.as_slice().iter().any(|&(s, e)| s <= reg as u64 && reg as u64 + 8 <= e)
}

/// Whether register word `reg` cannot be read after instruction `pc`: from any of its
/// successors, or from `succ` alone when given.
fn dead_after(f: &Function, pc: usize, reg: u32, succ: Option<usize>) -> bool {
    let live = Ranges::one((reg as u64, reg as u64 + 8));
    if let Some(s) = succ {
        return dead_from(f, s, &live);
    }
    let mut next = Vec::new();
    successors(pc, &f.code[pc], &mut next);
    next.iter().all(|&s| dead_from(f, s, &live))
}

/// Whether every tag that an event at instruction `pc` does not spare is one the program no
/// longer uses: each reference `state` holds that `spared` refuses is overwritten by the
/// instruction or never read after it (after the unwinding edge to `succ` alone, when given),
/// and each protected tag at `pc` (but those of the inlined call `except`) is spared. (A word
/// held only on some paths is not looked at: any use of it rules the local out.)
#[allow(clippy::too_many_arguments)]
fn unspared_unused(
    f: &Function,
    pc: usize,
    succ: Option<usize>,
    state: &State,
    tags: &Tags,
    except: Option<(u32, u32)>,
    spared: impl Fn(Tag) -> bool,
) -> bool {
    state.iter().all(|&(r, h)| match h {
        Held::Ptr { tag, .. } => spared(tag) || (succ.is_none() && overwritten(f, pc, r)) || dead_after(f, pc, r, succ),
        Held::Maybe => true,
    }) && tags.protected_at(pc).filter(|i| except.is_none_or(|e| i.protected != Some(e))).all(|i| spared(i.tag))
}

/// Whether an access of `kind` through `via` at instruction `pc` leaves valid every tag the
/// program may still use (`Tags::spared`).
fn access_ok(f: &Function, pc: usize, state: &State, tags: &Tags, via: Tag, kind: Access) -> bool {
    unspared_unused(f, pc, None, state, tags, None, |t| tags.spared(t, via, kind))
}

/// Whether the end of the protectors of the inlined call whose code is `range` leaves valid
/// every tag the program may still use: at its return `pc` (`succ` `None`), or on unwinding
/// from the call at `pc` to `succ`. Tree Borrows ends a protector with an access through
/// the protected tag (a write where it is `&mut`) that spares the tag's own descendants.
fn release_ok(f: &Function, pc: usize, succ: Option<usize>, state: &State, tags: &Tags, range: (u32, u32)) -> bool {
    tags.0.iter().filter(|y| y.protected == Some(range)).all(|y| {
        let kind = if y.mutable { Access::Write } else { Access::Read };
        unspared_unused(f, pc, succ, state, tags, Some(range), |t| tags.spared(t, y.tag, kind) || tags.is_ancestor_or_self(y.tag, t))
    })
}

/// Carries `state` across instruction `pc`; `None` if the instruction rules the local out.
/// With `plan`, records the instruction's changes, and refuses the local where an access
/// through a pointer into it, its retag, the start or end of its storage, or the end of a
/// protector may invalidate a tag the program still uses.
#[allow(clippy::too_many_arguments)]
fn step<'a>(
    f: &'a Function,
    t: &Target,
    flow: &Flow,
    pc: usize,
    state: &mut State,
    buf: &mut Vec<Use<'a>>,
    tags: &mut Tags,
    mut plan: Option<&mut Plan>,
) -> Option<()> {
    let inst = &f.code[pc];
    let checking = plan.is_some();
    // The target's own markers (an access of all of it through its own pointer).
    match *inst {
        Inst::StorageLive { local } | Inst::StorageDead { local } if local == t.local => {
            if checking && !access_ok(f, pc, state, tags, BASE, Access::Write) {
                return None;
            }
            let base = matches!(*inst, Inst::StorageLive { .. }).then_some(Held::Ptr { offset: 0, tag: BASE });
            set(state, t.ptr, base);
            return Some(());
        }
        _ => {}
    }
    // The ends of protectors, whatever registers the instruction touches.
    if checking && tags.0.iter().any(|i| i.protected.is_some()) {
        match *inst {
            Inst::InlineReturn { ends, .. } if ends.protects() => {
                if let Some(r) = f.inlined_at(pc as u32)
                    && !release_ok(f, pc, None, state, tags, (r.start, r.end))
                {
                    return None;
                }
            }
            Inst::Call { unwind: crate::Unwind::Cleanup(l), .. } => {
                for r in f.inlined_around(pc as u32) {
                    if !(r.start..r.end).contains(&l.0) && !release_ok(f, pc, Some(l.0 as usize), state, tags, (r.start, r.end)) {
                        return None;
                    }
                }
            }
            _ => {}
        }
    }
    if state.is_empty() || !state.iter().any(|&(r, _)| flow.touches(f, pc).overlaps((r as u64, r as u64 + 8))) {
        return Some(());
    }
    let overlaps = |state: &State, (s, e): (u64, u64)| state.iter().any(|&(r, _)| (r as u64) < e && s < r as u64 + 8);
    // Uses a pointer into the local may have: copied whole, retagged as a reference into
    // it, or a place through it.
    let mut made: Option<(u32, Held)> = None;
    let mut removed = false;
    buf.clear();
    uses(f, inst, buf);
    let mut index = Vec::new();
    match *inst {
        Inst::MoveReg { dst, src, size: 8 } | Inst::InlineReturn { dst, src, size: 8, .. } if held(state, src).is_some() => {
            let Some(h @ Held::Ptr { .. }) = held(state, src) else { return None };
            if !dst.is_multiple_of(8) {
                return None;
            }
            if let Inst::InlineReturn { ends, saved, .. } = *inst
                && ends.protects()
                && overlaps(state, (saved as u64, saved as u64 + 8))
            {
                return None;
            }
            made = Some((dst, h));
            removed = matches!(inst, Inst::MoveReg { .. });
        }
        Inst::ValidateRefReg { reg, ref validity, nullable: false, retag, .. } if held(state, reg).is_some() => {
            let Some(Held::Ptr { offset, tag: parent }) = held(state, reg) else { return None };
            let mutable = ref_inside(validity, offset, t)?;
            if reg == t.ptr {
                return None;
            }
            // (Without a retag, only the reference's validity is checked, which cannot fail.)
            let tag = if retag == crate::RetagMode::None {
                parent
            } else {
                // (An entry retag is an inlined callee's: its protector lasts while that
                // callee's code runs.)
                let protected = match retag.is_fn_entry() {
                    true => Some(f.inlined_at(pc as u32).map(|r| (r.start, r.end))?),
                    false => None,
                };
                if mutable && !tags.mutable(parent) {
                    return None;
                }
                if !tags.record(TagInfo { tag: pc as Tag, parent, mutable, protected }) {
                    return None;
                }
                let kind = if mutable { Access::Write } else { Access::Read };
                if checking && !access_ok(f, pc, state, tags, parent, kind) {
                    return None;
                }
                pc as Tag
            };
            if let Some(plan) = plan {
                plan.removed.push(pc);
            }
            set(state, reg, Some(Held::Ptr { offset, tag }));
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
                        let Some(Held::Ptr { offset, tag }) = held(state, at) else { return None };
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
                            // (Making a pointer accesses nothing; it keeps the tag.)
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
                                made = Some((d_reg, Held::Ptr { offset, tag }));
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
                                let kind = if role == Role::Read { Access::Read } else { Access::Write };
                                if (kind == Access::Write && !tags.mutable(tag)) || (role == Role::Protect && tag != BASE) {
                                    return None;
                                }
                                if checking && !access_ok(f, pc, state, tags, tag, kind) {
                                    return None;
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

/// Whether `v` is the validity of a thin reference alone (`&T` or `&mut T`: `Some(true)`),
/// to a sized pointee that lies inside the local at `offset` and is aligned there: then its
/// check cannot fail.
fn ref_inside(v: &crate::Validity, offset: u64, t: &Target) -> Option<bool> {
    match v.checks.as_slice() {
        [VCheck::Ref { offset: 0, align, size: Some(size), is_box: false, kind, unsized_layout: None, .. }] if v.size == 8 => {
            let mutable = match kind {
                RefKind::Shared { .. } => false,
                RefKind::Mut { .. } => true,
                _ => return None,
            };
            let align = (*align).max(1) as u64;
            (offset + *size as u64 <= t.size && offset.is_multiple_of(align) && align <= t.align).then_some(mutable)
        }
        _ => None,
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
    places[p as usize].plain_reg()
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
