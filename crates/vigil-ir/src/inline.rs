//! Inlining small callees into their callers' code, keeping what a call checks and
//! what a report shows: the machine runs this pass on each function it takes from the
//! frontend, with the callees it allows.
//!
//! A call `dst = g(args) -> target` becomes, at the call's own index (so no jump target of
//! the caller moves), `InlineEnter`, which clears the callee's registers as a new frame's
//! and jumps to code appended to the caller: the allocations of the callee's locals in
//! memory that a frame makes at entry, the arguments' moves into the callee's parameters,
//! then the callee's code with its registers, places, constants and locals renamed into
//! the caller's, each `Return` the frees of its locals in memory and an `InlineReturn` to
//! `target`. Every inlined call of a function shares one register region after the
//! caller's own registers. `Function::inlined` records which code came from which callee
//! and call, so that a backtrace shows the callee's frame as if it had been called.

use crate::{Callee, Function, InlineEnd, Inst, Label, LocalSlot, Operand, Place, PlaceBase, PlaceId, Proj, RefVisitor, Unwind};
use crate::{ConstId, FnId};

/// The largest callee inlined, in instructions.
pub const MAX_INLINED_LEN: usize = 40;

/// The largest callee inlined where the call passes a reference to a local in memory: once
/// the callee's accesses through it are in the caller's code, the local may move into
/// registers (`promote.rs`). (`sort_by_key`'s comparison of two keys, each a local whose
/// reference goes to a tuple's `lt` of 76 instructions; a slice iterator's `next`, of about
/// 130, called with `&mut` to the iterator of a `for` loop.)
pub const MAX_INLINED_LEN_FOR_LOCALS: usize = 4 * MAX_INLINED_LEN;

/// `MAX_INLINED_LEN_FOR_LOCALS` under Stacked Borrows, where a callee that protects costs
/// nothing more inlined than called: the loop body of std's unstable sort's partition (161
/// instructions, called with `&mut` to its state) is then inlined. (Under Tree Borrows the
/// same inlining made `threads_mix` 3.8% slower, more nodes being walked by later accesses.)
pub const MAX_INLINED_LEN_FOR_LOCALS_SB: usize = 5 * MAX_INLINED_LEN;

/// What inlining the aliasing model allows (the machine's one place for it): how long a
/// callee may be, by what the call passes, and which callees of another crate may go into
/// the user's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlinePolicy {
    /// The longest callee at a call passing no reference to a local (`PassedRef::Nothing`).
    pub plain: usize,
    /// The longest at a call passing one (`PassedRef::ThroughParam`, `PassedRef::Local`).
    pub passed_ref: usize,
    /// Whether a callee of another crate that protects may go into the user's code wherever
    /// it is called (Stacked Borrows). Under Tree Borrows only where the call passes a
    /// reference to the caller's own local, whose inlining may let the local and the
    /// protector go: in a long-running user frame the protector's nodes outlive what the
    /// callee's own frame would have dropped at its return (`box_dyn` took 3% more
    /// instructions with every such callee; under Stacked Borrows, 2.0% fewer).
    pub protecting_into_user_code: bool,
}

impl InlinePolicy {
    /// The policy under Tree Borrows (`tree_borrows`) or Stacked Borrows (or no aliasing
    /// model).
    pub const fn new(tree_borrows: bool) -> InlinePolicy {
        let passed_ref = if tree_borrows { MAX_INLINED_LEN_FOR_LOCALS } else { MAX_INLINED_LEN_FOR_LOCALS_SB };
        InlinePolicy { plain: MAX_INLINED_LEN, passed_ref, protecting_into_user_code: !tree_borrows }
    }

    /// The longest callee at a call that passes `passed`.
    pub fn for_call(self, passed: PassedRef) -> usize {
        if passed == PassedRef::Nothing { self.plain } else { self.passed_ref }
    }

    /// Whether `callee`, of another crate than the user's, may be inlined into the user's
    /// code at a call that passes `passed`: one that protects nothing always.
    pub fn into_user_code(self, callee: &Function, passed: PassedRef) -> bool {
        self.protecting_into_user_code || passed == PassedRef::Local || callee.inline_end() == InlineEnd::Call
    }
}

/// Code of `Function::code` that is the body of an inlined call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inlined {
    /// The callee's instructions are `[start, end)`.
    pub start: u32,
    pub end: u32,
    pub callee: FnId,
    /// The call's index (its `InlineEnter`, with the call's span).
    pub call: u32,
}

impl Function {
    /// The innermost inlined call whose callee's code holds instruction `pc`, if any (a
    /// callee's own inlined calls lie inside its range). For reports: a linear search.
    pub fn inlined_at(&self, pc: u32) -> Option<&Inlined> {
        self.inlined.iter().filter(|r| r.start <= pc && pc < r.end).max_by_key(|r| r.start)
    }

    /// The registers `(regs, size)` of the innermost inlined callee whose code holds
    /// instruction `pc` (its `InlineEnter`'s), if any: after its return the caller reads none
    /// of them.
    pub fn callee_registers_at(&self, pc: u32) -> Option<(u32, u32)> {
        match self.code.get(self.inlined_at(pc)?.call as usize) {
            Some(&Inst::InlineEnter { regs, size, .. }) => Some((regs, size)),
            _ => None,
        }
    }

    /// Every inlined call whose callee's code holds instruction `pc`, innermost first (each
    /// next one holds the previous one's call).
    pub fn inlined_around(&self, pc: u32) -> impl Iterator<Item = &Inlined> {
        std::iter::successors(self.inlined_at(pc), |r| self.inlined_at(r.call))
    }

    /// Whether calls of this function may be inlined: at most `MAX_INLINED_LEN`
    /// instructions (its own inlined calls included) returning its value in a register,
    /// with nothing that needs a frame of its own (cleanup on unwinding, C variadics, places
    /// protected for a call, a tail call, the `caller_location` intrinsic, which reads the
    /// frame's caller location, calls through pointers or vtables and of foreign functions).
    /// Calls of Rust functions and intrinsics may return into it: a call inside inlined code
    /// is a call of the caller's frame, whose backtrace still shows the inlined callee
    /// (`Function::inlined`), and unwinding out of it takes the outer call's unwind action.
    /// A `#[track_caller]` callee gets its caller location as one more argument.
    /// Its calls unwind out of it (`Unwind::Continue`) or stop the program
    /// (`Unreachable`, `Terminate`), never into cleanup of its own: unwinding out of such a
    /// call leaves the inlined callee too, and the machine ends the protectors of one that
    /// retags its arguments at entry (`retags_at_entry`) there, as its frame's pop would
    /// (`Machine::unwind_to`); a call that may not unwind stops with the callee's frame (and
    /// its protectors) still in place, inlined or not.
    pub fn inlinable(&self) -> bool {
        self.inlinable_within(MAX_INLINED_LEN)
    }

    /// `inlinable`, with at most `len` instructions (`MAX_INLINED_LEN_FOR_LOCALS` for some
    /// calls).
    pub fn inlinable_within(&self, len: usize) -> bool {
        self.unsealed_code().len() <= len
            && !self.c_variadic
            && self.ret_place.projs.is_empty()
            && self.unsealed_code().iter().all(|inst| match inst {
                Inst::Call { callee, unwind, .. } => {
                    let callee_ok = match callee {
                        Callee::Fn(_) => true,
                        Callee::Intrinsic(i) => !matches!(**i, crate::Intrinsic::CallerLocation),
                        _ => false,
                    };
                    callee_ok && !matches!(unwind, Unwind::Cleanup(_))
                }
                Inst::TailCall { .. } | Inst::UnwindResume | Inst::ProtectInPlace { .. } => false,
                _ => true,
            })
    }

    /// What an inlined call of this function does at its return besides delivering the
    /// value (`InlineReturn::ends`): nothing, end its protectors, or end them and drop Tree
    /// Borrows nodes as a frame's return would (only a callee that protects and calls).
    pub fn inline_end(&self) -> InlineEnd {
        if !self.retags_at_entry() {
            InlineEnd::Call
        } else if self.unsealed_code().iter().any(|i| matches!(i, Inst::Call { target: Some(_), .. })) {
            InlineEnd::ProtectorsAndYoung
        } else {
            InlineEnd::Protectors
        }
    }

    /// Whether the function retags something with a function-entry retag (its arguments:
    /// their protectors last until it returns).
    pub fn retags_at_entry(&self) -> bool {
        self.unsealed_code().iter().any(Inst::is_entry_retag)
    }
}

/// Fills `Function::site_spans` of a function of the user's crate whose inlined callees
/// `other_crate` says are of other crates: their code stands at the span of the call from
/// the user's code (a callee's own inlined calls are of other crates too), where the
/// program's current point in the user's code would be with the callee's own frame
/// running. Left empty when there is no such call. To be called once the code no longer
/// changes (it is indexed by instruction).
pub fn set_site_spans(f: &mut Function, mut other_crate: impl FnMut(FnId) -> bool) {
    let mut outer: Vec<&Inlined> = f.inlined.iter().filter(|r| other_crate(r.callee)).collect();
    if outer.is_empty() {
        return;
    }
    // An outer range comes before the ranges inside it; their calls then already stand
    // at the outer call's span.
    outer.sort_by_key(|r| r.start);
    let mut site = f.spans.clone();
    for r in outer {
        let at = site[r.call as usize];
        site[r.start as usize..r.end as usize].fill(at);
    }
    f.site_spans = site.into();
}

/// Gives `Unwind::Continue` to every call whose cleanup only resumes unwinding (through
/// `Goto`s and switches on a register, a drop flag whose every target resumes, at most):
/// both leave the frame at once, with nothing run in between. Cleanup code that no path
/// reaches any more becomes `Unreachable`, so that `inlinable` does not see an
/// `UnwindResume` there. Returns how many calls changed.
pub fn forward_empty_cleanups(f: &mut Function) -> usize {
    fn resumes_at(code: &[Inst], t: Label, depth: u32) -> bool {
        match code.get(t.0 as usize) {
            _ if depth == 0 => false,
            Some(Inst::UnwindResume) => true,
            Some(&Inst::Goto { target }) => resumes_at(code, target, depth - 1),
            // (Reading a drop flag has no effect: the frame initializes its flags first.)
            Some(Inst::SwitchInt { discr: Operand::Reg(_) | Operand::Const(_), targets, .. }) => {
                targets.iter().all(|&t| resumes_at(code, t, depth - 1))
            }
            _ => false,
        }
    }
    let resumes_at = |code: &[Inst], t: Label| resumes_at(code, t, 8);
    let mut changed = 0;
    for pc in 0..f.code.len() {
        if let Inst::Call { unwind: Unwind::Cleanup(t), .. } = f.code[pc]
            && resumes_at(&f.code, t)
        {
            let Inst::Call { unwind, .. } = &mut f.code[pc] else { unreachable!() };
            *unwind = Unwind::Continue;
            changed += 1;
        }
    }
    if changed > 0 {
        let mut reached = vec![false; f.code.len()];
        let (mut work, mut next) = (vec![0], Vec::new());
        while let Some(pc) = work.pop() {
            if pc >= f.code.len() || std::mem::replace(&mut reached[pc], true) {
                continue;
            }
            next.clear();
            crate::elide::successors(pc, &f.code[pc], &mut next);
            work.extend_from_slice(&next);
        }
        for (inst, reached) in f.code.iter_mut().zip(reached) {
            if !reached && matches!(inst, Inst::UnwindResume) {
                *inst = Inst::Unreachable;
            }
        }
    }
    changed
}

/// What a call passes that its inlining may let move into registers (`promote.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassedRef {
    /// No reference found to a local in memory.
    Nothing,
    /// A reference made through a pointer parameter: where the caller is inlined with a
    /// reference to a local for that parameter (`Range::next` calling `spec_next` with
    /// `&mut *self`), that too is a reference to the local.
    ThroughParam,
    /// A reference made to a local in memory of the caller.
    Local,
}

/// What an argument of the call at `pc` is, among the instructions before the call: a
/// reference made to a local in memory (a `Ref` through its pointer, or through such a
/// reference, perhaps copied), or one made likewise through a pointer parameter.
fn passes_local_ref(caller: &Function, pc: usize, args: &[(Operand, u32)]) -> PassedRef {
    /// How far back to look.
    const WINDOW: usize = 24;
    // (Each reference found, and whether it leads to a local of this function.)
    let mut refs: Vec<(u32, bool)> = Vec::new();
    let origin = |reg: u32, refs: &[(u32, bool)]| {
        if caller.locals.iter().any(|l| matches!(*l, LocalSlot::Mem { ptr_off, .. } if ptr_off == reg)) {
            return Some(true);
        }
        if caller.params.iter().any(|p| p.size == 8 && matches!(caller.locals[p.local as usize], LocalSlot::Reg { off } if off == reg)) {
            return Some(false);
        }
        refs.iter().find(|r| r.0 == reg).map(|r| r.1)
    };
    for inst in &caller.code[pc.saturating_sub(WINDOW)..pc] {
        match *inst {
            Inst::Ref { dst, place, .. } => {
                let (dst, place) = (&caller.places[dst as usize], &caller.places[place as usize]);
                let (PlaceBase::Reg(d), PlaceBase::Reg(base)) = (dst.base, place.base);
                if dst.projs.is_empty()
                    && matches!(place.projs.first(), Some(Proj::Deref { fat: false }))
                    && let Some(local) = origin(base, &refs)
                {
                    refs.push((d, local));
                }
            }
            Inst::MoveReg { dst, src, size: 8 } => {
                if let Some(&(_, local)) = refs.iter().find(|r| r.0 == src) {
                    refs.push((dst, local));
                }
            }
            _ => {}
        }
    }
    let passed = |local: bool| args.iter().any(|&(op, _)| matches!(op, Operand::Reg(r) if refs.contains(&(r, local))));
    if passed(true) {
        PassedRef::Local
    } else if passed(false) {
        PassedRef::ThroughParam
    } else {
        PassedRef::Nothing
    }
}

/// The move of an argument (or caller location) `op` of `size` bytes into register `dst`.
fn move_into_reg(op: Operand, dst: u32, size: u32, consts: &[crate::ConstValue]) -> Inst {
    match op {
        Operand::Reg(src) => Inst::MoveReg { dst, src, size },
        Operand::Const(src) => Inst::const_reg(dst, src, size, consts),
        Operand::Place(_) => unreachable!("`inline_calls` takes no place arguments"),
    }
}

/// Renames a callee's references into the caller's frame and tables.
struct Rename {
    regs: u32,
    places: u32,
    consts: u32,
    locals: u32,
}

impl RefVisitor for Rename {
    fn reg(&mut self, off: &mut u32) {
        *off += self.regs;
    }
    fn place(&mut self, place: &mut PlaceId) {
        *place += self.places;
    }
    fn konst(&mut self, c: &mut ConstId) {
        *c += self.consts;
    }
    fn local(&mut self, local: &mut u32) {
        *local += self.locals;
    }
}

/// Inlines into `caller` every call of a Rust function for which `callee_of` gives an
/// inlinable body, when the call's shape allows it: it returns (`target`), passes each
/// argument (and the caller location of a `#[track_caller]` callee) from a register or a
/// constant with the parameter's size, and writes its result to a plain register. `callee_of`
/// is told what reference to a local the call passes (which the callee's inlining may let
/// move into registers, `promote.rs`). Returns how many calls were inlined. (With Tree
/// Borrows' limits; `inline_calls_within` takes another policy.)
pub fn inline_calls<'a>(caller: &mut Function, callee_of: impl FnMut(FnId, PassedRef) -> Option<&'a Function>) -> usize {
    inline_calls_within(caller, InlinePolicy::new(true), callee_of)
}

/// `inline_calls` of the callees no longer than `policy` allows.
pub fn inline_calls_within<'a>(
    caller: &mut Function,
    policy: InlinePolicy,
    mut callee_of: impl FnMut(FnId, PassedRef) -> Option<&'a Function>,
) -> usize {
    let region = caller.frame_size.next_multiple_of(8);
    let mut region_size = 0;
    let mut count = 0;
    let mut inlined = std::mem::take(&mut caller.inlined).into_vec();
    for pc in 0..caller.code.len() {
        let Inst::Call { callee: Callee::Fn(g), args, dst, ret_size, target: Some(target), unwind, caller_location } = &caller.code[pc]
        else {
            continue;
        };
        let (g, target, unwind, ret_size, location) = (*g, *target, *unwind, *ret_size, *caller_location);
        let dst_place = &caller.places[*dst as usize];
        if !dst_place.projs.is_empty() || (pc > 0 && matches!(caller.code[pc - 1], Inst::ProtectInPlace { .. })) {
            continue;
        }
        let PlaceBase::Reg(dst_reg) = dst_place.base;
        let passed = passes_local_ref(caller, pc, args);
        let Some(callee) = callee_of(g, passed) else { continue };
        if !callee.inlinable_within(policy.for_call(passed))
            || callee.caller_location.is_some() != location.is_some()
            || matches!(location, Some(Operand::Place(_)))
            || callee.params.len() != args.len()
            || callee.ret_size != ret_size
            || args.iter().zip(&callee.params).any(|(&(op, size), p)| size != p.size || matches!(op, Operand::Place(_)))
        {
            continue;
        }
        let args = args.clone();
        let mut rename = Rename {
            regs: region,
            places: caller.places.len() as u32,
            consts: caller.consts.len() as u32,
            locals: caller.locals.len() as u32,
        };
        caller.locals.extend(callee.locals.iter().map(|&l| match l {
            LocalSlot::Reg { off } => LocalSlot::Reg { off: off + region },
            LocalSlot::Mem { ptr_off, size, align } => LocalSlot::Mem { ptr_off: ptr_off + region, size, align },
        }));
        caller.places.extend(callee.places.iter().map(|p| {
            let mut p = p.clone();
            let PlaceBase::Reg(off) = p.base;
            p.base = PlaceBase::Reg(off + region);
            for proj in p.projs.iter_mut() {
                if let Proj::Index { index, .. } = proj {
                    index.visit(&mut rename);
                }
            }
            p
        }));
        caller.consts.extend(callee.consts.iter().cloned());
        let mut byte_regs = std::mem::take(&mut caller.byte_regs).into_vec();
        byte_regs.extend(callee.byte_regs.iter().map(|&(off, size)| (off + region, size)));
        caller.byte_regs = byte_regs.into();

        // The callee's locals in memory without storage markers are allocated first, as
        // its frame's would be (with the span its frame gives them), then the arguments
        // are moved, as the call's own instructions.
        let body = caller.code.len() as u32;
        let call_span = caller.spans[pc];
        let entry_span = callee.spans.first().copied().unwrap_or(call_span);
        for &l in &callee.always_live {
            caller.code.push(Inst::StorageLive { local: l + rename.locals });
            caller.spans.push(entry_span);
        }
        for (&(op, size), param) in args.iter().zip(&callee.params) {
            caller.code.push(match callee.locals[param.local as usize] {
                LocalSlot::Reg { off } => move_into_reg(op, region + off + param.offset, size, &caller.consts),
                // (The parameter's own allocation has its alignment: no check needed.)
                LocalSlot::Mem { ptr_off, .. } => {
                    let mut projs = vec![Proj::Deref { fat: false }];
                    if param.offset != 0 {
                        projs.push(Proj::Field { offset: param.offset, keep_meta: false });
                    }
                    caller.places.push(Place { base: PlaceBase::Reg(region + ptr_off), projs: projs.into(), align: 1 });
                    Inst::Move { dst: caller.places.len() as PlaceId - 1, src: op, size }
                }
            });
            caller.spans.push(call_span);
        }
        if let (Some(off), Some(op)) = (callee.caller_location, location) {
            caller.code.push(move_into_reg(op, region + off, 8, &caller.consts));
            caller.spans.push(call_span);
        }
        // The callee's code.
        let start = caller.code.len() as u32;
        let PlaceBase::Reg(ret) = callee.ret_place.base;
        let size = callee.frame_size.next_multiple_of(8);
        let ends = callee.inline_end();
        let protects = ends.protects();
        // (Without the stop that ends an installed function's code.)
        let callee_code = callee.unsealed_code();
        // The callee's locals in memory are freed at its return, in the order its frame's
        // pop frees them (those with storage markers if still live): each `Return` becomes
        // those frees, then the `InlineReturn` (no jump in between: a jump ends a block,
        // which the scheduler counts, a return does not).
        let frees: Vec<u32> = callee.always_live.iter().chain(&callee.storage_managed).map(|&l| l + rename.locals).collect();
        let mut at = Vec::with_capacity(callee_code.len() + 1);
        let mut next = start;
        for inst in callee_code {
            at.push(next);
            next += 1 + if matches!(inst, Inst::Return) { frees.len() as u32 } else { 0 };
        }
        at.push(next);
        for (inst, &span) in callee_code.iter().zip(&callee.spans) {
            if let Inst::Return = inst {
                for &local in &frees {
                    caller.code.push(Inst::StorageDead { local });
                    caller.spans.push(span);
                }
                // (`dst` is the caller's register, `saved` is after the callee's.)
                caller.code.push(Inst::InlineReturn {
                    dst: dst_reg,
                    src: ret + region,
                    size: ret_size,
                    target,
                    ends,
                    saved: size + region,
                });
                caller.spans.push(span);
                continue;
            }
            let mut inst = inst.clone();
            inst.for_each_ref(&mut rename);
            inst.for_each_target(&mut |l| l.0 = at[l.0 as usize]);
            // A panic unwinds out of the callee into the call's unwind action.
            if let Inst::Call { unwind: u @ Unwind::Continue, .. } = &mut inst {
                *u = unwind;
            }
            caller.code.push(inst);
            caller.spans.push(span);
        }
        let end = caller.code.len() as u32;
        caller.code[pc] = Inst::InlineEnter { regs: region, size, body: Label(body), protects, fresh_at: 0, fresh_len: size };
        inlined.push(Inlined { start, end, callee: g, call: pc as u32 });
        // The callee's own inlined calls, inside its range.
        // (Where each of the callee's instructions went: its returns grew into epilogues.)
        inlined.extend(callee.inlined.iter().map(|r| Inlined {
            start: at[r.start as usize],
            end: at[r.end as usize],
            callee: r.callee,
            call: at[r.call as usize],
        }));
        region_size = region_size.max(size + if protects { 8 } else { 0 });
        count += 1;
    }
    if count > 0 {
        caller.frame_size = region + region_size;
    }
    caller.inlined = inlined.into();
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConstValue, IntOp, IntTy, Param, Place, RetagMode, SpanId, Validity};

    /// A function with one register local per `(offset)` in `regs`, `params` of those
    /// locals (4 bytes each), and `code` (span `i` for instruction `i`, plus `span_base`).
    fn func(frame_size: u32, regs: &[u32], params: &[u32], code: Vec<Inst>, span_base: u32) -> Function {
        Function {
            locals: regs.iter().map(|&off| LocalSlot::Reg { off }).collect(),
            params: params.iter().map(|&local| Param { local, offset: 0, size: 4 }).collect(),
            ret_place: Place::reg(regs[0]),
            ret_size: 4,
            spans: (0..code.len() as u32).map(|i| SpanId(span_base + i)).collect(),
            places: regs.iter().map(|&off| Place::reg(off)).collect(),
            consts: vec![ConstValue { bytes: Box::new([7, 0, 0, 0]), prov: Box::new([]) }],
            ..Function::bare(frame_size, code)
        }
    }

    /// `dst = callee(args) -> target`, unwinding as `unwind`, without a caller location.
    fn call(callee: Callee, args: &[(Operand, u32)], dst: PlaceId, ret_size: u32, target: Option<u32>, unwind: Unwind) -> Inst {
        Inst::Call { callee, args: args.into(), dst, ret_size, target: target.map(Label), unwind, caller_location: None }
    }

    /// `fn add(a: i32, b: i32) -> i32`: `_0 = _1 + _2`, and a panic call when the flag is set.
    fn callee() -> Function {
        let add =
            Inst::IntOpBranch { op: IntOp::AddWithOverflow, ty: IntTy::I32, dst: 12, a: 4, b: 8, if_true: Label(3), if_false: Label(1) };
        let panic = call(Callee::Fn(FnId(9)), &[(Operand::Const(0), 4)], 0, 0, None, Unwind::Continue);
        let code = vec![add, Inst::MoveReg { dst: 0, src: 12, size: 4 }, Inst::Return, panic];
        func(20, &[0, 4, 8, 12], &[1, 2], code, 100)
    }

    /// `main`: `_1 = add(_2, const 7) -> @1`, unwinding to its cleanup at @2.
    fn caller() -> Function {
        let call = call(Callee::Fn(FnId(1)), &[(Operand::Reg(4), 4), (Operand::Const(0), 4)], 1, 4, Some(1), Unwind::Cleanup(Label(2)));
        func(12, &[0, 8, 4], &[], vec![call, Inst::Return, Inst::UnwindResume], 0)
    }

    #[test]
    fn a_leaf_call_is_spliced_with_every_reference_renamed() {
        let mut main = caller();
        let add = callee();
        assert!(add.inlinable());
        assert_eq!(inline_calls(&mut main, |g, _| (g == FnId(1)).then_some(&add)), 1);
        // The callee's registers come after the caller's (12 bytes, rounded to 16).
        assert_eq!(main.frame_size, 16 + 24);
        let body = 3;
        match &main.code[0] {
            &Inst::InlineEnter { regs, size, body: b, protects, .. } => assert_eq!((regs, size, b, protects), (16, 24, Label(body), false)),
            other => panic!("{other:?}"),
        }
        // The arguments into the parameters' registers, then the callee's code.
        assert!(matches!(main.code[3], Inst::MoveReg { dst: 20, src: 4, size: 4 }));
        assert!(matches!(main.code[4], Inst::ConstRegImm { dst: 24, value: 7, size: 4 }));
        let start = 5;
        match &main.code[start] {
            &Inst::IntOpBranch { dst, a, b, if_true, if_false, .. } => {
                assert_eq!((dst, a, b), (28, 20, 24));
                assert_eq!((if_true, if_false), (Label(start as u32 + 3), Label(start as u32 + 1)));
            }
            other => panic!("{other:?}"),
        }
        // The return writes the caller's destination (`_1` at r8) and goes on at the call's target.
        assert!(matches!(
            main.code[start + 2],
            Inst::InlineReturn { dst: 8, src: 16, size: 4, target: Label(1), ends: InlineEnd::Call, .. }
        ));
        // The panic's constant is the callee's, appended; it unwinds into the call's cleanup.
        match &main.code[start + 3] {
            Inst::Call { args, unwind, .. } => {
                assert!(matches!(args[0], (Operand::Const(1), 4)));
                assert!(matches!(unwind, Unwind::Cleanup(Label(2))));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(main.consts.len(), 2);
        assert_eq!(main.places.len(), 3 + 4);
        assert!(matches!(main.locals[3 + 3], LocalSlot::Reg { off: 28 }));
        // Spans: the moves carry the call's, the body the callee's; the side table maps back.
        assert_eq!(main.spans.len(), main.code.len());
        assert_eq!(main.spans[3], SpanId(0));
        assert_eq!(main.spans[start], SpanId(100));
        assert_eq!(&*main.inlined, &[Inlined { start: 5, end: 9, callee: FnId(1), call: 0 }]);
        assert_eq!(main.inlined_at(6).map(|r| r.call), Some(0));
        assert!(main.inlined_at(4).is_none() && main.inlined_at(9).is_none() && main.inlined_at(0).is_none());
    }

    fn entry_retag() -> Inst {
        Inst::ValidateRefReg {
            reg: 4,
            validity: std::sync::Arc::new(Validity { size: 4, checks: Vec::new() }),
            nullable: false,
            unobserved: crate::Unobserved::No,
            retag: RetagMode::FnEntry,
        }
    }

    #[test]
    fn a_callee_with_protectors_saves_the_call_id_after_its_registers() {
        // `fn get(r: &i32, k: i32) -> i32`: a function-entry retag, no call.
        let code = vec![entry_retag(), Inst::MoveReg { dst: 0, src: 8, size: 4 }, Inst::Return];
        let get = func(12, &[0, 4, 8], &[1, 2], code, 100);
        assert!(get.retags_at_entry() && get.inlinable());
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |_, _| Some(&get)), 1);
        assert!(matches!(main.code[0], Inst::InlineEnter { regs: 16, size: 16, protects: true, .. }));
        // The saved call id lies after the callee's 16 bytes; the frame holds it.
        let ret = main.code.iter().find(|i| matches!(i, Inst::InlineReturn { .. })).unwrap();
        assert!(matches!(ret, Inst::InlineReturn { ends: InlineEnd::Protectors, saved: 32, dst: 8, src: 16, .. }), "{ret:?}");
        assert_eq!(main.frame_size, 16 + 16 + 8);
    }

    #[test]
    fn a_callee_with_its_own_inlined_calls_keeps_them_nested() {
        // `mid(a, b) = add(a, b)`, with `add` inlined into it, then `mid` into `main`.
        let add = callee();
        let call = call(Callee::Fn(FnId(1)), &[(Operand::Reg(4), 4), (Operand::Reg(8), 4)], 0, 4, Some(1), Unwind::Continue);
        let mut mid = func(12, &[0, 4, 8], &[1, 2], vec![call, Inst::Return], 200);
        assert_eq!(inline_calls(&mut mid, |g, _| (g == FnId(1)).then_some(&add)), 1);
        assert!(mid.inlinable());
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |g, _| (g == FnId(1)).then_some(&mid)), 1);
        // `mid`'s range holds `add`'s, whose call is `mid`'s `InlineEnter`, inside `mid`'s range.
        let [outer, inner] = &*main.inlined else { panic!("{:?}", main.inlined) };
        assert_eq!((outer.callee, outer.call), (FnId(1), 0));
        assert!(outer.start < inner.start && inner.end <= outer.end);
        assert!(matches!(main.code[inner.call as usize], Inst::InlineEnter { .. }));
        assert!(outer.start <= inner.call && inner.call < outer.end);
        // The innermost range is found for an instruction of `add`; `mid`'s for its own.
        assert_eq!(main.inlined_at(inner.start), Some(inner));
        assert_eq!(main.inlined_at(inner.call), Some(outer));
        // `add`'s registers lie inside `mid`'s, after the caller's own.
        let (Inst::InlineEnter { regs: r_outer, .. }, Inst::InlineEnter { regs: r_inner, .. }) =
            (&main.code[0], &main.code[inner.call as usize])
        else {
            unreachable!()
        };
        assert!(r_inner > r_outer && *r_inner + 24 <= main.frame_size);
    }

    #[test]
    fn a_track_caller_callee_gets_the_location_as_an_argument() {
        let mut add = callee();
        add.caller_location = Some(16);
        add.frame_size = 24;
        assert!(add.inlinable());
        // A call without a location (there is none to pass) stays a call.
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |_, _| Some(&add)), 0);
        let mut main = caller();
        if let Inst::Call { caller_location, .. } = &mut main.code[0] {
            *caller_location = Some(Operand::Const(0));
        }
        assert_eq!(inline_calls(&mut main, |_, _| Some(&add)), 1);
        // After the two arguments: the location into the callee's register.
        assert!(matches!(main.code[5], Inst::ConstReg { dst: 32, src: 0, size: 8 }), "{:?}", main.code[5]);
    }

    #[test]
    fn code_inlined_from_other_crates_stands_at_the_call_from_the_users_code() {
        // Instructions 0..10 with spans 0..10: `g` (another crate) inlined at 1 as 4..8,
        // itself inlining `h` at 5 as 6..8; `k` (the user's crate) inlined at 2 as 8..10.
        let mut f = Function::bare(8, vec![Inst::Return; 10]);
        f.spans = (0..10).map(SpanId).collect();
        let range = |start, end, callee, call| Inlined { start, end, callee: FnId(callee), call };
        f.inlined = vec![range(4, 8, 7, 1), range(6, 8, 8, 5), range(8, 10, 9, 2)].into();
        let other = |g: FnId| g.0 != 9;
        set_site_spans(&mut f, other);
        let want: Vec<SpanId> = [0, 1, 2, 3, 1, 1, 1, 1, 8, 9].into_iter().map(SpanId).collect();
        assert_eq!(f.site_spans(), want);
        // The real spans stay (backtraces show the callees' own).
        assert_eq!(f.spans[6], SpanId(6));
        // Nothing from another crate: the table stays empty, `site_spans` is `spans`.
        let mut f = Function::bare(8, vec![Inst::Return; 3]);
        f.inlined = vec![range(1, 3, 9, 0)].into();
        set_site_spans(&mut f, other);
        assert!(f.site_spans.is_empty());
        assert_eq!(f.site_spans(), f.spans);
    }

    #[test]
    fn a_callee_with_locals_in_memory_allocates_them_and_frees_them_at_each_return() {
        // `fn f(x: i32, y: i32) -> i32` whose parameter `x` (`_2`) lives in memory (no
        // storage markers) and whose `_3` does too (with markers), returning early or after
        // `_3`'s end; its code at @3 is an inlined call of its own.
        let switch =
            Inst::SwitchInt { discr: Operand::Reg(0), ty: IntTy::I32, values: Box::new([0]), targets: Box::new([Label(2), Label(3)]) };
        let code = vec![Inst::StorageLive { local: 3 }, switch, Inst::Return, Inst::StorageDead { local: 3 }, Inst::Return];
        let mut f = func(24, &[0, 20], &[], code, 100);
        f.locals.push(LocalSlot::Mem { ptr_off: 8, size: 4, align: 4 });
        f.locals.push(LocalSlot::Mem { ptr_off: 16, size: 4, align: 4 });
        f.params = vec![Param { local: 2, offset: 0, size: 4 }, Param { local: 1, offset: 0, size: 4 }];
        f.always_live = vec![2];
        f.storage_managed = vec![3];
        f.inlined = Box::new([Inlined { start: 3, end: 4, callee: FnId(5), call: 3 }]);
        assert!(f.inlinable());
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |_, _| Some(&f)), 1);
        let (region, locals) = (16, 3);
        // The parameter's allocation, with the callee's first span, then the arguments: the
        // first stored into it through its pointer, the second into a register.
        assert!(matches!(main.code[3], Inst::StorageLive { local } if local == 2 + locals));
        assert_eq!(main.spans[3], SpanId(100));
        let Inst::Move { dst, src: Operand::Reg(4), size: 4 } = main.code[4] else { panic!("{:?}", main.code[4]) };
        let p = &main.places[dst as usize];
        assert!(matches!((p.base, &*p.projs), (PlaceBase::Reg(b), [Proj::Deref { fat: false }]) if b == region + 8));
        assert!(matches!(main.locals[(2 + locals) as usize], LocalSlot::Mem { ptr_off, .. } if ptr_off == region + 8));
        assert!(matches!(main.code[5], Inst::ConstRegImm { dst, value: 7, .. } if dst == region + 20));
        // Each return frees both locals (the one always live first), then returns; the
        // jump past the early return lands where its target went.
        let start = 6;
        let frees_then_return = |at: usize| {
            assert!(matches!(main.code[at], Inst::StorageDead { local } if local == 2 + locals), "{:?}", main.code[at]);
            assert!(matches!(main.code[at + 1], Inst::StorageDead { local } if local == 3 + locals));
            assert!(matches!(main.code[at + 2], Inst::InlineReturn { dst: 8, target: Label(1), .. }));
        };
        frees_then_return(start + 2);
        let Inst::SwitchInt { targets, .. } = &main.code[start + 1] else { panic!() };
        assert_eq!(&**targets, &[Label(start as u32 + 2), Label(start as u32 + 5)]);
        assert!(matches!(main.code[start + 5], Inst::StorageDead { local } if local == 3 + locals));
        frees_then_return(start + 6);
        assert_eq!(main.code.len(), start + 9);
        assert_eq!(main.spans.len(), main.code.len());
        assert_eq!(main.spans[start + 4], SpanId(102));
        // The callee's own inlined call moved with its code.
        assert_eq!(main.inlined[1], Inlined { start: start as u32 + 5, end: start as u32 + 6, callee: FnId(5), call: start as u32 + 5 });
    }

    #[test]
    fn what_needs_a_frame_is_not_inlined() {
        // A call may unwind out of the callee or stop the program there, with protectors
        // or without (a stop leaves no frame, inlined or not); cleanup of its own needs a
        // frame.
        for (unwind, inlinable) in
            [(Unwind::Continue, true), (Unwind::Terminate, true), (Unwind::Unreachable, true), (Unwind::Cleanup(Label(4)), false)]
        {
            let mut f = callee();
            f.code[3] = call(Callee::Fn(FnId(9)), &[], 0, 0, Some(1), unwind);
            assert_eq!(f.inlinable(), inlinable, "{unwind:?}");
            f.code.insert(0, entry_retag());
            f.spans.push(SpanId(0));
            assert_eq!(f.inlinable(), inlinable, "{unwind:?} with protectors");
        }
        // A return value in memory, the `caller_location` intrinsic.
        let mut f = callee();
        f.ret_place = Place { base: PlaceBase::Reg(16), projs: Box::new([Proj::Deref { fat: false }]), align: 1 };
        assert!(!f.inlinable());
        let mut f = callee();
        f.caller_location = Some(16);
        f.code[3] = call(Callee::Intrinsic(Box::new(crate::Intrinsic::CallerLocation)), &[], 0, 8, Some(1), Unwind::Continue);
        assert!(!f.inlinable());
        // Too long.
        let mut f = callee();
        f.code.extend((0..MAX_INLINED_LEN).map(|_| Inst::Goto { target: Label(0) }));
        assert!(!f.inlinable());
    }

    #[test]
    fn a_callee_that_calls_and_returns_is_inlined_with_the_call_unwinding_as_the_outer_one() {
        // `fn add(a, b)`, whose last block calls `g(a)` and returns its result.
        let mut add = callee();
        add.code[3] = call(Callee::Fn(FnId(9)), &[(Operand::Reg(4), 4)], 0, 4, Some(2), Unwind::Continue);
        assert!(add.inlinable());
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |g, _| (g == FnId(1)).then_some(&add)), 1);
        let start = 5;
        match &main.code[start + 3] {
            Inst::Call { callee: Callee::Fn(FnId(9)), args, dst, target, unwind, .. } => {
                // Its argument and destination are the callee's, renamed into the caller's
                // registers and places; it returns into the callee's code, now the caller's;
                // a panic in `g` unwinds into the outer call's cleanup, as it would once the
                // callee's frame is gone.
                assert!(matches!(args[0], (Operand::Reg(20), 4)));
                assert_eq!(*dst, 3);
                assert_eq!(*target, Some(Label(start as u32 + 2)));
                assert!(matches!(unwind, Unwind::Cleanup(Label(2))));
            }
            other => panic!("{other:?}"),
        }
        // A call inside the inlined range: a report from `g` shows `add`'s frame below it.
        assert_eq!(main.inlined_at(start as u32 + 3).map(|r| r.callee), Some(FnId(1)));
    }

    #[test]
    fn a_protecting_callee_that_calls_is_inlined_and_its_calls_unwind_as_the_outer_one() {
        // `fn get(r: &i32, k: i32) -> i32`: a function-entry retag, then a call of `g(k)`
        // whose result it returns.
        let g = call(Callee::Fn(FnId(9)), &[(Operand::Reg(8), 4)], 0, 4, Some(2), Unwind::Continue);
        let get = func(12, &[0, 4, 8], &[1, 2], vec![entry_retag(), g, Inst::Return], 100);
        assert!(get.retags_at_entry() && get.inlinable());
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |g, _| (g == FnId(1)).then_some(&get)), 1);
        assert!(matches!(main.code[0], Inst::InlineEnter { protects: true, .. }));
        // Unwinding out of `g` goes to the outer call's cleanup (after the machine ends
        // `get`'s protectors: `Machine::unwind_to`), from inside `get`'s range.
        let (at, unwind) = main
            .code
            .iter()
            .enumerate()
            .find_map(|(i, inst)| match inst {
                Inst::Call { callee: Callee::Fn(FnId(9)), unwind, .. } => Some((i as u32, *unwind)),
                _ => None,
            })
            .unwrap();
        assert!(matches!(unwind, Unwind::Cleanup(Label(2))));
        assert_eq!(main.inlined_at(at).map(|r| r.callee), Some(FnId(1)));
        // Its return drops Tree Borrows nodes as its frame's would have.
        assert!(main.code.iter().any(|i| matches!(i, Inst::InlineReturn { ends: InlineEnd::ProtectorsAndYoung, .. })));
    }

    #[test]
    fn a_cleanup_that_only_resumes_unwinding_becomes_continue() {
        // `_1 = g() -> [@1, unwind @2]`, `@2: goto @3`, `@3: resume`; and a call whose
        // cleanup does something (`@4`).
        let g = |cleanup| call(Callee::Fn(FnId(9)), &[], 0, 0, Some(1), Unwind::Cleanup(Label(cleanup)));
        let code = vec![g(2), Inst::Return, Inst::Goto { target: Label(3) }, Inst::UnwindResume];
        let mut f = func(12, &[0, 8, 4], &[], code, 0);
        assert!(!f.inlinable());
        assert_eq!(forward_empty_cleanups(&mut f), 1);
        assert!(matches!(f.code[0], Inst::Call { unwind: Unwind::Continue, .. }));
        assert!(matches!(f.code[3], Inst::Unreachable));
        assert!(f.inlinable());
        let code = vec![g(2), Inst::Return, Inst::MoveReg { dst: 0, src: 4, size: 4 }, Inst::UnwindResume];
        let mut f = func(12, &[0, 8, 4], &[], code, 0);
        assert_eq!(forward_empty_cleanups(&mut f), 0);
        assert!(matches!(f.code[3], Inst::UnwindResume));
        // A switch on a drop flag in a register whose targets all resume (the drop it
        // guarded did nothing); on a place in memory it stays (reading it is an access).
        for (discr, forwarded) in [(Operand::Reg(8), 1), (Operand::Place(0), 0)] {
            let switch = Inst::SwitchInt {
                discr,
                ty: IntTy { size: 1, signed: false },
                values: Box::new([0]),
                targets: Box::new([Label(3), Label(4)]),
            };
            let code = vec![g(2), Inst::Return, switch, Inst::UnwindResume, Inst::Goto { target: Label(3) }];
            let mut f = func(12, &[0, 8, 4], &[], code, 0);
            assert_eq!(forward_empty_cleanups(&mut f), forwarded);
        }
    }

    #[test]
    fn calls_of_other_shapes_stay_calls() {
        let add = callee();
        // An argument read from a place in memory.
        let mut main = caller();
        if let Inst::Call { args, .. } = &mut main.code[0] {
            args[0].0 = Operand::Place(0);
        }
        assert_eq!(inline_calls(&mut main, |_, _| Some(&add)), 0);
        // A destination behind a pointer.
        let mut main = caller();
        main.places[1].projs = Box::new([Proj::Deref { fat: false }]);
        assert_eq!(inline_calls(&mut main, |_, _| Some(&add)), 0);
        // A callee the machine does not offer.
        let mut main = caller();
        assert_eq!(inline_calls(&mut main, |_, _| None), 0);
        assert!(matches!(main.code[0], Inst::Call { .. }) && main.inlined.is_empty() && main.frame_size == 12);
    }

    /// `callee()` padded with `pad` copies, its parameter 8 bytes wide (a pointer).
    fn padded_callee(pad: usize) -> Function {
        let mut add = callee();
        add.code.splice(1..1, (0..pad).map(|_| Inst::MoveReg { dst: 16, src: 16, size: 4 }));
        add.spans = vec![SpanId(0); add.code.len()];
        add.params[0].size = 8;
        add
    }

    /// `caller()` passing an 8-byte register: with `passes`, a reference made just before to
    /// its local in memory (`PassedRef::Local`: `_3`, its pointer in r16) or through its
    /// pointer parameter (`PassedRef::ThroughParam`: `_1`, in r16 instead).
    fn caller_passing(passes: PassedRef) -> Function {
        let mut main = caller();
        let Inst::Call { args, .. } = &mut main.code[0] else { panic!() };
        args[0].1 = 8;
        match passes {
            PassedRef::Nothing => return main,
            PassedRef::Local => main.locals.push(LocalSlot::Mem { ptr_off: 16, size: 4, align: 4 }),
            PassedRef::ThroughParam => {
                main.locals[1] = LocalSlot::Reg { off: 16 };
                main.params = vec![crate::Param { local: 1, offset: 0, size: 8 }];
            }
        }
        main.frame_size = 24;
        main.places.push(Place { base: PlaceBase::Reg(16), projs: Box::new([Proj::Deref { fat: false }]), align: 4 });
        let deref = main.places.len() as PlaceId - 1;
        main.code.insert(0, Inst::Ref { dst: 2, place: deref, fat: false, inbounds: false });
        main.spans.insert(0, SpanId(0));
        for inst in &mut main.code {
            inst.for_each_target(&mut |l| l.0 += 1);
        }
        main
    }

    #[test]
    fn a_longer_callee_is_inlined_where_the_call_passes_a_reference_to_a_local_in_memory() {
        // `add` padded past `MAX_INLINED_LEN` (but within `MAX_INLINED_LEN_FOR_LOCALS`).
        let add = padded_callee(MAX_INLINED_LEN);
        assert!(!add.inlinable() && add.inlinable_within(MAX_INLINED_LEN_FOR_LOCALS));
        // A register that holds nothing made from a local: not inlined; a reference made to a
        // local or through a pointer parameter: inlined.
        let mut told = Vec::new();
        for (passes, inlined) in [(PassedRef::Nothing, 0), (PassedRef::Local, 1), (PassedRef::ThroughParam, 1)] {
            let n = inline_calls(&mut caller_passing(passes), |_, passed| {
                told.push(passed);
                Some(&add)
            });
            assert_eq!(n, inlined);
        }
        assert_eq!(told, [PassedRef::Nothing, PassedRef::Local, PassedRef::ThroughParam]);
    }

    #[test]
    fn the_limit_for_calls_passing_a_local_depends_on_the_model() {
        // `add` padded past Tree Borrows' limit for such calls, within Stacked Borrows'.
        let add = padded_callee(MAX_INLINED_LEN_FOR_LOCALS);
        assert!(!add.inlinable_within(MAX_INLINED_LEN_FOR_LOCALS) && add.inlinable_within(MAX_INLINED_LEN_FOR_LOCALS_SB));
        let (tb, sb) = (InlinePolicy::new(true), InlinePolicy::new(false));
        assert_eq!((tb.for_call(PassedRef::Nothing), sb.for_call(PassedRef::Nothing)), (MAX_INLINED_LEN, MAX_INLINED_LEN));
        assert_eq!(sb.for_call(PassedRef::ThroughParam), MAX_INLINED_LEN_FOR_LOCALS_SB);
        let main = || caller_passing(PassedRef::Local);
        assert_eq!(inline_calls(&mut main(), |_, _| Some(&add)), 0);
        assert_eq!(inline_calls_within(&mut main(), tb, |_, _| Some(&add)), 0);
        assert_eq!(inline_calls_within(&mut main(), sb, |_, _| Some(&add)), 1);
        // A callee of another crate that protects (`get`) goes into the user's code wherever it
        // is called under Stacked Borrows; under Tree Borrows only where the call passes a
        // reference to the caller's local. One that protects nothing (`add`) always does.
        let get = func(12, &[0, 4, 8], &[1, 2], vec![entry_retag(), Inst::MoveReg { dst: 0, src: 8, size: 4 }, Inst::Return], 100);
        for passed in [PassedRef::Nothing, PassedRef::ThroughParam, PassedRef::Local] {
            assert!(sb.into_user_code(&get, passed) && sb.into_user_code(&add, passed) && tb.into_user_code(&add, passed));
            assert_eq!(tb.into_user_code(&get, passed), passed == PassedRef::Local);
        }
    }
}
