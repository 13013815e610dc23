//! Calls, returns and unwinding: pushing and popping frames.

use vigil_ir::{Callee, FnId, Inst, LocalSlot, Operand, PlaceId, RefKind, Unwind};

use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::prov_map::{self, ProvPart};
use crate::{Frame, Loc, Machine, ReturnTo};

impl Machine<'_> {
    /// Evaluates the arguments into `self.args` (one range per argument).
    fn collect_args(&mut self, args: &[(Operand, u32)]) -> Res<()> {
        self.args.clear();
        self.args_init.clear();
        self.args_prov.clear();
        self.arg_ranges.clear();
        for &(op, size) in args {
            let start = self.args.len() as u64;
            if let Operand::Reg(off) = op {
                // Straight from the registers, without the scratch buffer.
                let abs = self.base() + off as usize;
                self.args.extend_from_slice(&self.regs[abs..abs + size as usize]);
                self.args_init.extend_from_slice(&self.reg_init[abs..abs + size as usize]);
                crate::place::regs_prov_into(&self.reg_prov, &self.reg_frags, abs, size as usize, &mut self.args_prov, start);
                self.arg_ranges.push((start as u32, size));
                continue;
            }
            self.load_operand(op, size)?;
            self.args.extend_from_slice(&self.scratch);
            self.args_init.extend_from_slice(&self.scratch_init);
            self.args_prov.extend(self.scratch_prov.iter().map(|&(o, p)| (o + start, p)));
            self.arg_ranges.push((start as u32, size));
        }
        Ok(())
    }

    /// Checks that every argument byte is initialized (arguments used as values).
    pub(crate) fn check_args_init(&self) -> Res<()> {
        if crate::memory::all_init(&self.args_init) { Ok(()) } else { Err(Error::ub(crate::memory::UNINIT)) }
    }

    /// A `size`-byte part of argument `i` at `offset`, loaded into the scratch buffer.
    pub(crate) fn arg_to_scratch(&mut self, i: usize, offset: u32, size: u32) {
        let (start, _) = self.arg_ranges[i];
        let (s, e) = ((start + offset) as usize, (start + offset + size) as usize);
        self.scratch.clear();
        self.scratch_init.clear();
        self.scratch_prov.clear();
        self.scratch.extend_from_slice(&self.args[s..e]);
        self.scratch_init.extend_from_slice(&self.args_init[s..e]);
        prov_map::slice_into(&self.args_prov, s as u64, e as u64, &mut self.scratch_prov, 0);
    }

    /// Argument `i` as a scalar of its full size (at most 16 bytes).
    pub(crate) fn arg_scalar(&self, i: usize) -> (u128, Prov) {
        let (start, size) = self.arg_ranges[i];
        let mut buf = [0u8; 16];
        let n = size.min(16) as usize;
        buf[..n].copy_from_slice(&self.args[start as usize..start as usize + n]);
        let prov = if size >= 8 { prov_map::whole_at(&self.args_prov, start as u64) } else { Prov::NONE };
        (u128::from_le_bytes(buf), prov)
    }

    pub(crate) fn arg_ptr(&self, i: usize) -> Ptr {
        let (a, p) = self.arg_scalar(i);
        Ptr { addr: a as u64, prov: p }
    }

    pub(crate) fn arg_u64(&self, i: usize) -> u64 {
        self.arg_scalar(i).0 as u64
    }

    /// The second word of a 16-byte argument (metadata of a fat pointer).
    pub(crate) fn arg_meta(&self, i: usize) -> (u64, Prov) {
        let (start, _) = self.arg_ranges[i];
        let s = start as usize + 8;
        let v = u64::from_le_bytes(self.args[s..s + 8].try_into().unwrap());
        (v, prov_map::whole_at(&self.args_prov, s as u64))
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(crate) fn exec_call(
        &mut self,
        callee: &Callee,
        args: &[(Operand, u32)],
        dst: PlaceId,
        ret_size: u32,
        target: Option<u32>,
        unwind: Unwind,
        caller_location: Option<Operand>,
    ) -> Res<()> {
        // The commonest call, its value into a plain register, without a caller location
        // or places used in place: its destination is made here, in registers (through
        // `place_loc`, it was built in memory in parts and read back whole: a
        // store-forwarding stall at every call).
        if caller_location.is_none()
            && self.in_place.is_empty()
            && let Some(abs) = self.reg_place(dst)
        {
            return self.dispatch_call(callee, args, Loc::Reg(abs), ret_size, target, unwind, None);
        }
        self.exec_call_general(callee, args, dst, ret_size, target, unwind, caller_location)
    }

    /// `exec_call` of any call.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn exec_call_general(
        &mut self,
        callee: &Callee,
        args: &[(Operand, u32)],
        dst: PlaceId,
        ret_size: u32,
        target: Option<u32>,
        unwind: Unwind,
        caller_location: Option<Operand>,
    ) -> Res<()> {
        let dst = self.place_loc(dst)?;
        let caller_location = match caller_location {
            Some(op) => Some(self.read_operand_scalar(op, 8)?),
            None => None,
        };
        if self.in_place.is_empty() {
            return self.dispatch_call(callee, args, dst, ret_size, target, unwind, caller_location);
        }
        let depth = self.stack.len();
        let r = self.dispatch_call(callee, args, dst, ret_size, target, unwind, caller_location);
        if r.is_err() {
            self.in_place.clear();
            return r;
        }
        self.protect_in_place(self.stack.len() > depth)
    }

    /// The places the call just made uses in place (arguments moved from memory, the
    /// return place) belong to the callee until it returns: a protected `&mut`-like retag
    /// (for the new frame's call) makes any other access UB, and the place is made
    /// uninitialized through it, so its old contents cannot be observed after the call.
    /// A call that did not push a frame (the callee was an intrinsic or a shim) drops them.
    #[cold]
    fn protect_in_place(&mut self, pushed_frame: bool) -> Res<()> {
        // (The list's buffer is kept for the next call, however this one ends.)
        let mut places = std::mem::take(&mut self.in_place);
        let r = if pushed_frame { self.protect_places(&places) } else { Ok(()) };
        places.clear();
        self.in_place = places;
        r
    }

    fn protect_places(&mut self, places: &[(Ptr, u32)]) -> Res<()> {
        const SMALL: usize = 64;
        for &(p, size) in places {
            let p = self.retag_pointer(p, size as u64, RefKind::Mut { unpin: true }, vigil_ir::RetagMode::FnEntry, None)?;
            let (small, large);
            let zeros: &[u8] = if size as usize <= SMALL {
                small = [0u8; SMALL];
                &small[..size as usize]
            } else {
                large = vec![0u8; size as usize];
                &large
            };
            self.mem.write_with_init(p, zeros, Some(zeros), &[])?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn dispatch_call(
        &mut self,
        callee: &Callee,
        args: &[(Operand, u32)],
        dst: Loc,
        ret_size: u32,
        target: Option<u32>,
        unwind: Unwind,
        caller_location: Option<(u128, Prov)>,
    ) -> Res<()> {
        match callee {
            &Callee::Fn(f) => {
                if self.call_direct(f, args, ReturnTo::Call { dst, target, unwind }, caller_location)? {
                    return Ok(());
                }
                self.collect_args(args)?;
                self.push_frame(f, ReturnTo::Call { dst, target, unwind }, caller_location)
            }
            &Callee::Virtual { index, trait_id } => {
                self.collect_args(args)?;
                match self.virtual_callee(index, trait_id)? {
                    Some(f) => self.push_frame(f, ReturnTo::Call { dst, target, unwind }, caller_location),
                    // A null drop entry: the type needs no drop glue.
                    None => self.shim_return(target),
                }
            }
            &Callee::FnPtr { ptr, sig } => {
                let f = self.fn_ptr_callee(ptr, sig)?;
                self.collect_args(args)?;
                self.push_frame(f, ReturnTo::Call { dst, target, unwind }, caller_location)
            }
            Callee::Intrinsic(i) => {
                self.collect_args(args)?;
                self.call_intrinsic(i, dst, ret_size, target, unwind)
            }
            &Callee::Foreign(shim) => {
                self.collect_args(args)?;
                self.call_foreign(shim, dst, ret_size, target, unwind)
            }
        }
    }

    /// The function a `dyn` call with the arguments in `self.args` reaches through the
    /// receiver's vtable (`None`: a null drop entry, nothing to call). The callee receives
    /// only the data pointer of the receiver.
    fn virtual_callee(&mut self, index: u32, trait_id: u32) -> Res<Option<FnId>> {
        let (vt, vp) = self.arg_meta(0);
        if trait_id != 0 {
            self.use_vtable(Ptr { addr: vt, prov: vp }, trait_id)?;
        }
        let (fp, fprov) = self.mem.vtable_entry(Ptr { addr: vt, prov: vp }, index as u64)?;
        if index == 0 && fp == 0 {
            return Ok(None);
        }
        let f = self.mem.fn_of_ptr(Ptr { addr: fp as u64, prov: fprov })?;
        self.arg_ranges[0].1 = 8;
        Ok(Some(f))
    }

    /// The function the fn pointer `ptr` points to, called with signature `sig`.
    fn fn_ptr_callee(&mut self, ptr: Operand, sig: vigil_ir::SigId) -> Res<FnId> {
        let p = self.read_ptr(ptr)?;
        let f = self.mem.fn_of_ptr(p)?;
        self.check_abi(f, sig)?;
        Ok(f)
    }

    /// A call with signature `sig` may reach `f`.
    fn check_abi(&mut self, f: FnId, sig: vigil_ir::SigId) -> Res<()> {
        let callee_sig = self.function(f)?.sig;
        if callee_sig != sig
            && let Some((msg, site)) = self.frontend.abi_mismatch(sig, callee_sig)
        {
            return Err(self.callee_error(f, site, msg));
        }
        Ok(())
    }

    /// UB found when `f` is called: reported at `site` in `f` (with `f` on top of the
    /// backtrace), or at the call itself.
    #[cold]
    fn callee_error(&self, f: FnId, site: crate::CalleeSite, msg: String) -> Error {
        let mut e = Error::ub(msg);
        if site != crate::CalleeSite::Call {
            e.backtrace = std::iter::once((f, self.frontend.callee_site(f, site))).chain(self.backtrace()).collect();
        }
        e
    }

    /// `become callee(args)`: the arguments are read in this frame, which is then popped (its
    /// locals freed, its protectors released); the callee returns where this frame would have.
    #[cold]
    pub(crate) fn exec_tail_call(&mut self, callee: &Callee, args: &[(Operand, u32)]) -> Res<()> {
        let f = match callee {
            &Callee::Fn(f) => {
                self.collect_args(args)?;
                Some(f)
            }
            &Callee::Virtual { index, trait_id } => {
                self.collect_args(args)?;
                self.virtual_callee(index, trait_id)?
            }
            &Callee::FnPtr { ptr, .. } => {
                let p = self.read_ptr(ptr)?;
                self.collect_args(args)?;
                Some(self.mem.fn_of_ptr(p)?)
            }
            Callee::Intrinsic(_) | Callee::Foreign(_) => unreachable!("the lowering tail-calls Rust functions only"),
        };
        let frame = self.pop_frame()?;
        // The signatures are compared once the caller's frame is gone, as a call from its caller.
        if let (&Callee::FnPtr { sig, .. }, Some(f)) = (callee, f) {
            self.check_abi(f, sig)?;
        }
        match f {
            Some(f) => self.push_frame(f, frame.ret, None),
            // Nothing was called (a null drop entry): return a zero-sized value.
            None => {
                self.scratch.clear();
                self.scratch_init.clear();
                self.scratch_prov.clear();
                self.finish_return(frame.ret)
            }
        }
    }

    /// Checks that the vtable `vt` was made for trait `expected` (or may stand for it):
    /// `Ok(None)` if so, else the expected and the actual trait's names; `Err` when `vt` is no
    /// vtable at all.
    pub(crate) fn check_vtable(&self, vt: Ptr, expected: u32) -> Res<Option<(String, String)>> {
        match self.mem.vtable_trait_of(vt) {
            None => Err(Error::ub(format!("using {} as vtable pointer but it does not point to a vtable", crate::memory::fmt_ptr(vt)))),
            Some(t) if t == expected || t == crate::memory::ANY_TRAIT || expected == 0 => Ok(None),
            Some(t) => Ok(self.frontend.vtable_mismatch(t, expected)),
        }
    }

    /// A `dyn` call or upcast uses the vtable `vt` as one of trait `expected`.
    pub(crate) fn use_vtable(&self, vt: Ptr, expected: u32) -> Res<()> {
        match self.check_vtable(vt, expected)? {
            None => Ok(()),
            Some((expected, actual)) => Err(Error::ub(format!("using vtable for `{actual}` but `{expected}` was expected"))),
        }
    }

    /// Pushes a frame for `f` with the arguments in `self.args`.
    pub(crate) fn push_frame(&mut self, f: FnId, ret: ReturnTo, caller_location: Option<(u128, Prov)>) -> Res<()> {
        let func = self.function(f)?;
        if self.stack.len() >= 10_000 {
            return Err(Error::terminated("the interpreted program's stack overflowed (more than 10000 frames)"));
        }
        if func.c_variadic {
            self.pack_varargs(func.params.len() - 1)?;
        }
        if func.params.len() != self.arg_ranges.len() {
            let (msg, site) = if self.arg_ranges.len() > func.params.len() {
                ("calling a function with more arguments than it expected", crate::CalleeSite::Header)
            } else {
                ("calling a function with fewer arguments than it requires", crate::CalleeSite::Param(self.arg_ranges.len() as u32))
            };
            return Err(self.callee_error(f, site, msg.into()));
        }
        let base = self.enter_frame(f, func, ret, caller_location);
        for (i, param) in func.params.iter().enumerate() {
            let (start, len) = self.arg_ranges[i];
            if len != param.size {
                self.stack.pop();
                self.sp = base;
                return Err(Error::ub(format!(
                    "calling a function whose parameter #{} has size {} with an argument of size {len} (the caller's signature does not match the callee's)",
                    i + 1,
                    param.size
                )));
            }
            let loc = match func.locals[param.local as usize] {
                LocalSlot::Reg { off } => {
                    // Straight into the fresh registers (their provenance words start out clear).
                    let d = base + off as usize + param.offset as usize;
                    self.regs[d..d + len as usize].copy_from_slice(&self.args[start as usize..(start + len) as usize]);
                    self.reg_init[d..d + len as usize].copy_from_slice(&self.args_init[start as usize..(start + len) as usize]);
                    // (An argument's parts lie inside its range: `collect_args` cuts them.)
                    let (s, e) = (start as u64, (start + len) as u64);
                    let parts = self.args_prov.iter().filter(|&&(o, _)| o >= s && o < e).map(|&(o, p)| (o - s, p));
                    if crate::place::set_whole_words(&mut self.reg_prov, d, parts) {
                        let mut list = std::mem::take(&mut self.scratch_prov);
                        list.clear();
                        prov_map::slice_into(&self.args_prov, start as u64, (start + len) as u64, &mut list, 0);
                        self.regs_set_prov(d, &list);
                        self.scratch_prov = list;
                    }
                    continue;
                }
                LocalSlot::Mem { ptr_off, .. } => {
                    let (a, p) = self.reg_read_raw(base + ptr_off as usize, 8);
                    Loc::Mem(Ptr { addr: a as u64 + param.offset as u64, prov: p })
                }
            };
            self.scratch.clear();
            self.scratch_init.clear();
            self.scratch_prov.clear();
            self.scratch.extend_from_slice(&self.args[start as usize..(start + len) as usize]);
            self.scratch_init.extend_from_slice(&self.args_init[start as usize..(start + len) as usize]);
            prov_map::slice_into(&self.args_prov, start as u64, (start + len) as u64, &mut self.scratch_prov, 0);
            self.store_scratch(loc)?;
        }
        Ok(())
    }

    /// Pushes the frame of `f` (registers, memory-backed locals that are always live, the
    /// caller location) without its arguments; returns its base.
    #[inline(always)]
    fn enter_frame(&mut self, f: FnId, func: &'static vigil_ir::Function, ret: ReturnTo, caller_location: Option<(u128, Prov)>) -> usize {
        // The register vectors only grow (high-water mark); a new frame's bytes start out
        // uninitialized and without provenance.
        let base = self.sp;
        let size = (func.frame_size as usize).next_multiple_of(8);
        self.sp = base + size;
        if self.regs.len() < self.sp {
            self.regs.resize(self.sp, 0);
            self.reg_init.resize(self.sp, 0);
            self.reg_prov.resize(self.sp / 8, Prov::NONE);
        }
        self.reg_init[base..self.sp].fill(0);
        self.reg_prov[base / 8..self.sp / 8].fill(Prov::NONE);
        let user_frame = if self.local_fns[f.0 as usize] {
            self.stack.len() as u32
        } else {
            self.stack.last().map_or(crate::NO_USER_FRAME, |caller| caller.user_frame)
        };
        let tag_mark = self.young_mark();
        self.stack.push(Frame { func, fn_id: f, pc: 0, base, ret, call_id: 0, user_frame, tag_mark });
        for &l in &func.always_live {
            if let LocalSlot::Mem { ptr_off, size, align } = func.locals[l as usize] {
                let p = self.mem.allocate_uninit(size as u64, align as u64, AllocKind::Stack);
                self.mem.set_alloc_site(p.prov, Some((f, func.spans.first().copied().unwrap_or_default())));
                self.reg_write(base + ptr_off as usize, 8, p.addr as u128, p.prov);
            }
        }
        if let (Some(off), Some((v, p))) = (func.caller_location, caller_location) {
            self.reg_write(base + off as usize, 8, v, p);
        }
        base
    }

    /// A call of a Rust function whose arguments are all registers or constants and whose
    /// parameters all live in registers: the arguments are copied straight from the caller's
    /// registers into the callee's, without the argument buffer. `Ok(false)`: not such a call
    /// (nothing was done; the general path handles it, and reports any mismatch).
    #[inline(always)]
    fn call_direct(&mut self, f: FnId, args: &[(Operand, u32)], ret: ReturnTo, caller_location: Option<(u128, Prov)>) -> Res<bool> {
        let func = self.function(f)?;
        if !self.reg_params[f.0 as usize] || func.params.len() != args.len() || self.stack.len() >= 10_000 {
            return Ok(false);
        }
        for (&(op, size), param) in args.iter().zip(&func.params) {
            if size != param.size || matches!(op, Operand::Place(_)) {
                return Ok(false);
            }
        }
        let caller_base = self.base();
        let base = self.enter_frame(f, func, ret, caller_location);
        for (&(op, size), param) in args.iter().zip(&func.params) {
            let LocalSlot::Reg { off } = func.locals[param.local as usize] else { unreachable!("`reg_params`") };
            let d = base + off as usize + param.offset as usize;
            match op {
                Operand::Reg(src) => self.copy_regs(caller_base + src as usize, d, size as usize),
                Operand::Const(c) => {
                    let caller = self.stack[self.stack.len() - 2].func;
                    self.const_to_regs(&caller.consts[c as usize], d, size as usize);
                }
                Operand::Place(_) => unreachable!("checked above"),
            }
        }
        Ok(true)
    }

    /// The end of call `call`'s protectors (it returns or unwinds).
    fn end_protectors(&mut self, call: u64) -> Res<()> {
        if self.mem.sb.as_ref().is_some_and(|sb| sb.tree) {
            self.release_tree_protectors(call)?;
        }
        self.mem.sb.as_ref().unwrap().protected.borrow_mut().remove(call);
        Ok(())
    }

    /// An inlined call whose callee retags at entry begins: the frame's call id is kept in
    /// the register word at `slot` and the callee starts without one, as a new frame would.
    pub(crate) fn enter_inlined_call(&mut self, slot: usize) {
        let outer = std::mem::replace(&mut self.stack.last_mut().unwrap().call_id, 0);
        self.regs[slot..slot + 8].copy_from_slice(&outer.to_le_bytes());
        self.reg_prov[slot / 8] = Prov::NONE;
    }

    /// That inlined call returns: its protectors end (reported, if they must be, as at a
    /// return: with the callee's call id in the frame), and the frame's call id comes back.
    pub(crate) fn leave_inlined_call(&mut self, slot: usize) -> Res<()> {
        let call = self.stack.last().unwrap().call_id;
        if call != 0 {
            self.end_protectors(call)?;
        }
        self.stack.last_mut().unwrap().call_id = u64::from_le_bytes(self.regs[slot..slot + 8].try_into().unwrap());
        Ok(())
    }

    /// Unwinding out of a call in inlined code leaves the inlined calls around it,
    /// innermost first, as their frames' pops would: those whose callee protects end their
    /// protectors, then each frees its locals in memory that are live. (Such a callee calls
    /// only with `Unwind::Continue`, `Function::inlinable`, so the unwind action is the
    /// outermost inlined call's, taken after them, as it would be.)
    fn unwind_inlined_calls(&mut self) -> Res<()> {
        let frame = self.stack.last().unwrap();
        let (func, mut pc, base) = (frame.func, frame.pc, frame.base);
        for r in func.inlined_around(pc) {
            let Inst::InlineEnter { regs, size, protects, .. } = func.code[r.call as usize] else { continue };
            if protects {
                self.leave_inlined_call(base + (regs + size) as usize)?;
            }
            let callee = self.function(r.callee)?;
            // (Where the callee's frame would be: the innermost one at the unwinding call,
            // each outer one at its inlined call.)
            self.free_mem_locals(callee, base + regs as usize, (r.callee, func.spans[pc as usize]))?;
            pc = r.call;
        }
        Ok(())
    }

    /// Frees the locals in memory of `func` whose registers start at `base` that are live,
    /// as its frame's pop does (`site`: where).
    fn free_mem_locals(&mut self, func: &vigil_ir::Function, base: usize, site: (FnId, vigil_ir::SpanId)) -> Res<()> {
        for &l in func.always_live.iter().chain(func.storage_managed.iter()) {
            if let LocalSlot::Mem { ptr_off, .. } = func.locals[l as usize] {
                let slot = base + ptr_off as usize;
                let (a, p) = self.reg_read_raw(slot, 8);
                if p.is_some() {
                    self.mem.deallocate(Ptr { addr: a as u64, prov: p }, None, AllocKind::Stack)?;
                    self.mem.set_free_site(p, Some(site));
                    self.reg_write(slot, 8, 0, Prov::NONE);
                }
            }
        }
        Ok(())
    }

    /// Frees the frame's memory-backed locals and its registers.
    fn pop_frame(&mut self) -> Res<Frame> {
        if let Some(f) = self.stack.last().filter(|f| f.call_id != 0) {
            self.end_protectors(f.call_id)?;
        }
        let frame = self.stack.pop().unwrap();
        let func = frame.func;
        if !(func.always_live.is_empty() && func.storage_managed.is_empty()) {
            // (The frame's own instruction: a return, or where unwinding left its code, the
            // call of the outermost inlined callee it left, as without inlining.)
            let pc = match func.code.get(frame.pc as usize) {
                Some(Inst::Return) => frame.pc,
                _ => func.inlined_around(frame.pc).last().map_or(frame.pc, |r| r.call),
            };
            let span = func.site_spans().get(pc as usize).copied().unwrap_or_default();
            self.free_mem_locals(func, frame.base, (frame.fn_id, span))?;
        }
        self.sp = frame.base;
        Ok(frame)
    }

    pub(crate) fn exec_return(&mut self) -> Res<()> {
        let frame = self.stack.last().unwrap();
        let func = frame.func;
        // Read the return value before its storage goes away.
        let ret_place = &func.ret_place;
        let vigil_ir::PlaceBase::Reg(off) = ret_place.base;
        // Fast path: a register return value into a register destination.
        if let (true, ReturnTo::Call { dst: Loc::Reg(d), target: Some(t), .. }) = (ret_place.projs.is_empty(), frame.ret)
            && func.storage_managed.is_empty()
            && func.always_live.is_empty()
            && frame.call_id == 0
        {
            let src = frame.base + off as usize;
            self.copy_regs(src, d, func.ret_size as usize);
            let frame = self.stack.pop().unwrap();
            self.sp = frame.base;
            self.set_pc(t);
            self.drop_young_after_return(frame.tag_mark, t, Some((d, func.ret_size as usize)), false);
            return Ok(());
        }
        // A register return value into a register destination, from a frame with protectors
        // or memory-backed locals: popping the frame frees those and releases the
        // protectors but leaves the callee's registers as they are, so the value is copied
        // after it, without the scratch buffer.
        if let (true, ReturnTo::Call { dst: Loc::Reg(d), target: Some(t), .. }) = (ret_place.projs.is_empty(), frame.ret) {
            let (src, size) = (frame.base + off as usize, func.ret_size as usize);
            let mark = self.pop_frame()?.tag_mark;
            self.copy_regs(src, d, size);
            self.set_pc(t);
            self.drop_young_after_return(mark, t, Some((d, size)), false);
            return Ok(());
        }
        let loc = if ret_place.projs.is_empty() {
            Loc::Reg(frame.base + off as usize)
        } else {
            let (a, p) = self.reg_read_raw(frame.base + off as usize, 8);
            Loc::Mem(Ptr { addr: a as u64, prov: p })
        };
        self.load_loc(loc, func.ret_size as u64)?;
        let frame = self.pop_frame()?;
        let value_young = frame.tag_mark != crate::young::NO_MARK
            && self.scratch_prov.iter().any(|&(_, p)| crate::young::young(p.prov(), frame.tag_mark));
        self.finish_return(frame.ret)?;
        // (A destination in memory counts as stored: `finish_return` wrote it.)
        if let ReturnTo::Call { dst, target: Some(t), .. } = frame.ret {
            let dst = if let Loc::Reg(d) = dst { Some((d, func.ret_size as usize)) } else { None };
            self.drop_young_after_return(frame.tag_mark, t, dst, value_young);
        }
        Ok(())
    }

    /// Delivers the returned value (in the scratch buffer) as `ret` says.
    fn finish_return(&mut self, ret: ReturnTo) -> Res<()> {
        match ret {
            ReturnTo::Call { dst, target, .. } => {
                self.store_scratch(dst)?;
                match target {
                    Some(t) => self.set_pc(t),
                    None => return Err(Error::ub("`!`-returning function returned")),
                }
            }
            ReturnTo::Catch { dst, target, .. } => {
                self.write_loc_scalar(dst, 4, 0, Prov::NONE)?;
                self.set_pc(target);
            }
            ReturnTo::Root => {
                let size = self.scratch.len().min(8);
                self.scratch.truncate(size);
                let root = self.threads.active().ret_slot;
                self.store_scratch(Loc::Mem(root))?;
            }
        }
        Ok(())
    }

    /// Begins unwinding with `payload` from the call instruction of the current frame.
    pub(crate) fn start_unwind(&mut self, payload: Ptr, unwind: Unwind) -> Res<()> {
        self.unwinding.push(payload);
        self.unwind_to(unwind)
    }

    /// Applies the unwind action of the call that is unwinding in the current frame. An
    /// action that stops the program reports at once, in the frame of the call, inlined
    /// or not: no inlined call around it is left first (its protectors would end), as no
    /// frame is popped.
    fn unwind_to(&mut self, unwind: Unwind) -> Res<()> {
        match unwind {
            Unwind::Cleanup(t) => {
                self.unwind_inlined_calls()?;
                self.set_pc(t.0);
                Ok(())
            }
            Unwind::Continue => {
                self.unwind_inlined_calls()?;
                self.unwind_pop_frame()
            }
            Unwind::Unreachable => Err(Error::ub("unwinding past a stack frame that does not allow unwinding")),
            Unwind::Terminate => Err(Error::abort()),
        }
    }

    /// The current frame finished its cleanup: pop it and continue unwinding in the caller.
    pub(crate) fn unwind_pop_frame(&mut self) -> Res<()> {
        let frame = self.pop_frame()?;
        match frame.ret {
            ReturnTo::Call { unwind, .. } => self.unwind_to(unwind),
            ReturnTo::Catch { dst, target, catch_fn, data, catch_sig } => {
                let payload = self.unwinding.pop().unwrap_or(Ptr { addr: 0, prov: Prov::NONE });
                self.write_loc_scalar(dst, 4, 1, Prov::NONE)?;
                let f = self.mem.fn_of_ptr(catch_fn)?;
                self.check_abi(f, catch_sig)?;
                self.set_args(&[(data.addr as u128, data.prov, 8), (payload.addr as u128, payload.prov, 8)]);
                let sink = Loc::Mem(self.root_ret);
                self.push_frame(f, ReturnTo::Call { dst: sink, target: Some(target), unwind: Unwind::Continue }, None)
            }
            ReturnTo::Root => Err(Error::terminated("the program unwound past its entry point")),
        }
    }

    /// Replaces `self.args` with scalar arguments (value, provenance, size).
    pub(crate) fn set_args(&mut self, vals: &[(u128, Prov, u32)]) {
        self.args.clear();
        self.args_init.clear();
        self.args_prov.clear();
        self.arg_ranges.clear();
        for &(v, p, size) in vals {
            let start = self.args.len();
            self.args.extend_from_slice(&v.to_le_bytes()[..size as usize]);
            self.args_init.resize(self.args.len(), 1);
            if p.is_some() {
                self.args_prov.push((start as u64, ProvPart::whole(p)));
            }
            self.arg_ranges.push((start as u32, size));
        }
    }

    /// Completes a shim call that returns normally: result already written, jump on.
    pub(crate) fn shim_return(&mut self, target: Option<u32>) -> Res<()> {
        match target {
            Some(t) => {
                self.set_pc(t);
                Ok(())
            }
            None => Err(Error::ub("`!`-returning function returned")),
        }
    }

    /// `catch_unwind(try_fn, data, catch_fn)`: runs `try_fn(data)` in a catching frame.
    /// Both callbacks are called with the signatures the intrinsic declares for them.
    pub(crate) fn catch_unwind(&mut self, dst: Loc, target: Option<u32>, try_sig: vigil_ir::SigId, catch_sig: vigil_ir::SigId) -> Res<()> {
        let try_fn = self.arg_ptr(0);
        let data = self.arg_ptr(1);
        let catch_fn = self.arg_ptr(2);
        let f = self.mem.fn_of_ptr(try_fn)?;
        self.check_abi(f, try_sig)?;
        let target = target.ok_or_else(|| Error::ub("catch_unwind without a return target"))?;
        self.set_args(&[(data.addr as u128, data.prov, 8)]);
        self.push_frame(f, ReturnTo::Catch { dst, target, catch_fn, data, catch_sig }, None)
    }
}
