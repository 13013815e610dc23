//! The interpreter loop: one `match` per instruction over the current frame.

use vigil_ir::{CastOp, DiscrInfo, DiscrKind, Inst, MetaSource, ScalarTy, UnOp, UnsizeStep};

use crate::arith::{self, sign_extend, truncate};
use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::{Loc, Machine};

impl Machine<'_> {
    #[inline]
    pub(crate) fn set_pc(&mut self, pc: u32) {
        self.stack.last_mut().unwrap().pc = pc;
    }

    /// Runs until the main thread ends.
    pub(crate) fn execute(&mut self) -> Res<()> {
        loop {
            if self.threads.reschedule {
                self.schedule()?;
            }
            if self.stack.is_empty() {
                if self.on_stack_empty()? {
                    return Ok(());
                }
                continue;
            }
            // A step: calls and returns end basic blocks too, and measure virtual time.
            self.steps += 1;
            if self.block_end_preempts() {
                continue;
            }
            // Between frames no value is in flight outside the registers and frames.
            self.maybe_recycle_allocations();
            let (mut pc, mut depth) = (0, 0);
            if let Err(e) = self.run_frame(&mut pc, &mut depth) {
                // Record where the error happened (unless a call already replaced the frame).
                if self.stack.len() == depth {
                    self.set_pc(pc);
                }
                return Err(e);
            }
        }
    }

    /// What `execute` does between frames, done by `run_frame` after a call or return that
    /// changed frames: whether the new top frame may run at once, in place (else `execute`
    /// takes over: another thread is due, or the thread's stack is empty).
    #[inline(always)]
    fn next_frame_in_place(&mut self) -> bool {
        if self.threads.reschedule || self.stack.is_empty() {
            return false;
        }
        self.steps += 1;
        if self.block_end_preempts() {
            return false;
        }
        self.maybe_recycle_allocations();
        true
    }

    /// Executes the top frame's instructions, keeping the program counter in a local (`pc`;
    /// `depth`: the stack's height when the running frame started), and goes on with the
    /// next top frame after calls and returns, until something `execute` must handle between
    /// frames (scheduling, unwinding, the end of the thread's stack).
    fn run_frame(&mut self, pc: &mut u32, depth: &mut usize) -> Res<()> {
        'frame: loop {
            let frame = self.stack.last().unwrap();
            let (func, base, fn_id) = (frame.func, frame.base, frame.fn_id);
            *pc = frame.pc;
            *depth = self.stack.len();
            // Reports name the program point in the user's code: while a frame of std or of a
            // dependency runs, that is the innermost user frame's current point, which stays put.
            let need_site = self.mem.sb.is_some() || self.mem.race_on;
            let track_site = need_site && self.local_fns[fn_id.0 as usize];
            if track_site {
                self.mem.site.set_frame(fn_id, func.site_spans(), *pc);
            } else if need_site {
                let (f, spans, at) = self.user_point().unwrap_or((fn_id, func.site_spans(), *pc));
                self.mem.site.set_frame(f, spans, at);
            }
            loop {
                if track_site {
                    // Tag histories and race reports need the current point (its span is
                    // looked up when they read it).
                    self.mem.site.set_pc(*pc);
                }
                // SAFETY: `pc` is 0, a jump target, or one past an instruction that goes on to
                // the next, and the code is sealed (`vigil_ir::seal_code`, at install): every
                // target lies inside it and its last instruction stops.
                debug_assert!((*pc as usize) < func.code.len());
                #[cfg(feature = "stats")]
                crate::stats::dispatch(func.code[*pc as usize].opcode());
                match unsafe { func.code.get_unchecked(*pc as usize) } {
                    &Inst::MoveReg { dst, src, size } => {
                        // SAFETY: register fields of this frame's function (register bounds).
                        unsafe { self.copy_field_regs(base + src as usize, base + dst as usize, size as usize) };
                        *pc += 1;
                    }
                    &Inst::ConstReg { dst, src, size } => {
                        self.const_to_regs(&func.consts[src as usize], base + dst as usize, size as usize);
                        *pc += 1;
                    }
                    &Inst::ConstRegImm { dst, value, size } => {
                        // SAFETY: a register field of this frame's function, of 1, 2, 4 or 8
                        // bytes (register bounds).
                        unsafe { self.set_int_reg(base + dst as usize, size as u8, value) };
                        *pc += 1;
                    }
                    &Inst::LoadReg { dst, src, size } => {
                        let loc = self.place_loc(src)?;
                        // SAFETY: a register field of this frame's function (register bounds).
                        unsafe { self.load_small_to_reg(loc, base + dst as usize, size)? };
                        *pc += 1;
                    }
                    &Inst::StoreReg { dst, src, size } => {
                        let abs = base + src as usize;
                        // SAFETY: a register field of this frame's function (register bounds).
                        let word = unsafe { self.field_prov(abs) };
                        // A whole pointer in an aligned word, or bytes with no pointer in their word.
                        let simple = if size == 8 { word != Prov::FRAGMENTS } else { word.is_none() };
                        if simple {
                            let n = size as usize;
                            // SAFETY: as above.
                            let (bytes, init) = unsafe { self.small_field(abs, size) };
                            let loc = self.place_loc(dst)?;
                            let prov = if size == 8 { word } else { Prov::NONE };
                            match loc {
                                Loc::Mem(p) => self.mem.write_small(p, size as u64, &bytes, &init, prov)?,
                                Loc::Reg(d) => self.copy_regs(abs, d, n),
                            }
                        } else {
                            self.load_operand(vigil_ir::Operand::Reg(src), size)?;
                            let loc = self.place_loc(dst)?;
                            self.store_scratch(loc)?;
                        }
                        *pc += 1;
                    }
                    &Inst::Move { dst, src, size } => {
                        self.load_operand(src, size)?;
                        let loc = self.place_loc(dst)?;
                        self.store_scratch(loc)?;
                        *pc += 1;
                    }
                    &Inst::BinOp { op, lhs, rhs, dst, a, b } => {
                        let x = self.read_operand_scalar(a, lhs.size())?;
                        let y = self.read_operand_scalar(b, rhs.size())?;
                        let r = match lhs {
                            ScalarTy::Float(f) => self.float_binop(op, f, x.0, y.0)?,
                            _ => arith::binop(op, lhs, rhs, x, y)?,
                        };
                        if let vigil_ir::BinOp::Offset { elem_size } = op {
                            // An unsigned count (`add`) above `isize::MAX` is an overflow too.
                            let unsigned = matches!(rhs, ScalarTy::Int(t) if !t.signed);
                            let count = y.0 as u64;
                            let delta =
                                if unsigned && count > i64::MAX as u64 { None } else { (count as i64).checked_mul(elem_size as i64) };
                            self.check_inbounds_offset(Ptr { addr: x.0 as u64, prov: x.1 }, delta)?;
                        }
                        let loc = self.place_loc(dst)?;
                        let size = op.result_size(lhs.size()) as u64;
                        self.write_loc_scalar(loc, size, r.val, r.prov)?;
                        if let Some(o) = r.overflow {
                            self.write_loc_scalar(loc.offset(size), 1, o as u128, Prov::NONE)?;
                        }
                        *pc += 1;
                    }
                    &Inst::IntOp { op, ty, dst, a, b } => {
                        // SAFETY (here and in the arms below that read and write register
                        // fields): register fields of this frame's function, with the widths
                        // `vigil_ir::for_each_register` gives them (register bounds).
                        let x = unsafe { self.int_reg(base + a as usize, ty.size)? };
                        let y = unsafe { self.int_reg(base + b as usize, ty.size)? };
                        unsafe { self.write_int_result(op, ty, base + dst as usize, x, y) };
                        *pc += 1;
                    }
                    &Inst::FloatOp { op, ty, dst, a, b } => {
                        let size = if ty == vigil_ir::FloatTy::F32 { 4 } else { 8 };
                        let x = unsafe { self.int_reg(base + a as usize, size)? };
                        let y = unsafe { self.int_reg(base + b as usize, size)? };
                        let r = self.float_binop(op, ty, x as u128, y as u128)?;
                        unsafe { self.set_int_reg(base + dst as usize, op.result_size(size as u32) as u8, r.val as u64) };
                        *pc += 1;
                    }
                    &Inst::IntCast { from, to, dst, src } => {
                        let v = unsafe { self.int_reg(base + src as usize, from.size)? };
                        unsafe { self.set_int_reg(base + dst as usize, to.size, arith::int_cast(from, to, v)) };
                        *pc += 1;
                    }
                    &Inst::IntOpImm { op, ty, dst, a, imm } => {
                        let x = unsafe { self.int_reg(base + a as usize, ty.size)? };
                        unsafe { self.write_int_result(op, ty, base + dst as usize, x, imm) };
                        *pc += 1;
                    }
                    &Inst::IntOpBranch { op, ty, dst, a, b, if_true, if_false } => {
                        let x = unsafe { self.int_reg(base + a as usize, ty.size)? };
                        let y = unsafe { self.int_reg(base + b as usize, ty.size)? };
                        let c = unsafe { self.write_int_result(op, ty, base + dst as usize, x, y) };
                        *pc = if c { if_true.0 } else { if_false.0 };
                        if self.block_end_preempts() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    &Inst::IntOpImmBranch { op, ty, dst, a, imm, if_true, if_false } => {
                        let x = unsafe { self.int_reg(base + a as usize, ty.size)? };
                        let c = unsafe { self.write_int_result(op, ty, base + dst as usize, x, imm) };
                        *pc = if c { if_true.0 } else { if_false.0 };
                        if self.block_end_preempts() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    &Inst::UnOp { op, ty, dst, a } => {
                        if op == UnOp::PtrMetadata {
                            // The whole pointer is read as a value: it must be initialized.
                            let size = if ty == ScalarTy::FatPtr { 16 } else { 8 };
                            self.load_operand(a, size)?;
                            if !crate::memory::all_init(&self.scratch_init) {
                                return Err(Error::ub(crate::memory::UNINIT));
                            }
                            if ty == ScalarTy::FatPtr {
                                let meta = u64::from_le_bytes(self.scratch[8..16].try_into().unwrap());
                                let prov = crate::prov_map::whole_at(&self.scratch_prov, 8);
                                self.write_place_scalar(dst, 8, meta as u128, prov)?;
                            }
                        } else {
                            let (v, _) = self.read_operand_scalar(a, ty.size())?;
                            let r = arith::unop(op, ty, v)?;
                            self.write_place_scalar(dst, ty.size(), r, Prov::NONE)?;
                        }
                        *pc += 1;
                    }
                    &Inst::Cast { op, dst, src } => {
                        match op {
                            CastOp::Bytes { size } => {
                                self.load_operand(src, size)?;
                                let loc = self.place_loc(dst)?;
                                self.store_scratch(loc)?;
                            }
                            CastOp::StripProvenance { size } => {
                                self.load_operand(src, size)?;
                                self.scratch_prov.clear();
                                let loc = self.place_loc(dst)?;
                                self.store_scratch(loc)?;
                            }
                            CastOp::ExposeProvenance { to } => {
                                let (v, prov) = self.read_operand_scalar(src, 8)?;
                                self.mem.expose(prov);
                                self.write_place_scalar(dst, to.size as u32, truncate(v, to.bits()), Prov::NONE)?;
                            }
                            CastOp::WithExposedProvenance { from } => {
                                if self.config.strict_provenance {
                                    return Err(Error::unsupported(
                                        "integer-to-pointer casts and `ptr::with_exposed_provenance` are not supported with `-Zvigil-strict-provenance`",
                                    ));
                                }
                                let (v, _) = self.read_operand_scalar(src, from.size as u32)?;
                                let v = arith::cast(CastOp::IntToInt { from, to: vigil_ir::IntTy::USIZE }, v);
                                let prov = self.mem.alloc_at_addr(v as u64);
                                self.write_place_scalar(dst, 8, v, prov)?;
                            }
                            CastOp::FloatToFloat { from, to } => {
                                let (v, _) = self.read_operand_scalar(src, ScalarTy::Float(from).size())?;
                                let r = self.float_convert(from, to, v);
                                self.write_place_scalar(dst, ScalarTy::Float(to).size(), r, Prov::NONE)?;
                            }
                            _ => {
                                let (from, to) = cast_sizes(op);
                                let (v, _) = self.read_operand_scalar(src, from)?;
                                self.write_place_scalar(dst, to, arith::cast(op, v), Prov::NONE)?;
                            }
                        }
                        *pc += 1;
                    }
                    &Inst::Ref { dst, place, fat, inbounds } => {
                        // (The thin and wide dereferences apart: see `thin_deref`.)
                        let (p, deref, meta) = match self.thin_deref(place) {
                            Some((b, offset)) => (b.offset(offset as u64), Some(b), None),
                            None if let Some((b, m)) = self.wide_deref(place) => (b, Some(b), Some((m.addr, m.prov))),
                            None => {
                                let pv = self.eval_place_general(place)?;
                                let Loc::Mem(p) = pv.loc else {
                                    return Err(Error::unsupported("taking the address of a register local (lowering bug)"));
                                };
                                (p, pv.deref, pv.meta)
                            }
                        };
                        // A place projected from a pointer is in-bounds pointer arithmetic on it.
                        if inbounds
                            && let Some(b) = deref
                            && b.addr != p.addr
                        {
                            self.check_inbounds_offset(b, Some(p.addr.wrapping_sub(b.addr) as i64))?;
                        }
                        let dl = self.place_loc(dst)?;
                        self.write_loc_scalar(dl, 8, p.addr as u128, p.prov)?;
                        if fat {
                            let (m, mp) = meta.unwrap_or((0, Prov::NONE));
                            self.write_loc_scalar(dl.offset(8), 8, m as u128, mp)?;
                        }
                        *pc += 1;
                    }
                    Inst::Discriminant { dst, place, info } => {
                        let loc = self.place_loc(*place)?;
                        let d = self.read_discriminant(loc, info)?;
                        self.write_place_scalar(*dst, info.result.size as u32, d, Prov::NONE)?;
                        *pc += 1;
                    }
                    Inst::SetDiscriminant { place, info, variant } => {
                        let loc = self.place_loc(*place)?;
                        self.write_discriminant(loc, info, *variant)?;
                        *pc += 1;
                    }
                    &Inst::Repeat { dst, src, elem_size, count } => {
                        self.load_operand(src, elem_size)?;
                        match self.place_loc(dst)? {
                            // One write access over the whole array (as the reference interpreter
                            // copies the first element over the rest at once).
                            Loc::Mem(p) if count > 1 => {
                                self.mem.write_repeat(p, &self.scratch, &self.scratch_init, &self.scratch_prov, count)?
                            }
                            loc => {
                                for i in 0..count {
                                    self.store_scratch(loc.offset(i * elem_size as u64))?;
                                }
                            }
                        }
                        *pc += 1;
                    }
                    Inst::Unsize { dst, src, src_size, steps } => {
                        self.load_operand(*src, *src_size)?;
                        let (bytes, init, prov) = (self.scratch.clone(), self.scratch_init.clone(), self.scratch_prov.clone());
                        let dl = self.place_loc(*dst)?;
                        for step in steps.iter() {
                            match *step {
                                UnsizeStep::Copy { src, dst, size } => {
                                    self.set_scratch(&bytes[src as usize..(src + size) as usize]);
                                    self.scratch_init.copy_from_slice(&init[src as usize..(src + size) as usize]);
                                    crate::prov_map::slice_into(&prov, src as u64, (src + size) as u64, &mut self.scratch_prov, 0);
                                    self.store_scratch(dl.offset(dst as u64))?;
                                }
                                UnsizeStep::Widen { src, dst, meta, src_fat } => {
                                    let word = |off: u32| u64::from_le_bytes(bytes[off as usize..off as usize + 8].try_into().unwrap());
                                    let pword = |off: u32| crate::prov_map::whole_at(&prov, off as u64);
                                    let data = (word(src), pword(src));
                                    let m = match meta {
                                        MetaSource::Len(n) => (n, Prov::NONE),
                                        MetaSource::Vtable(c) => {
                                            let cv = &func.consts[c as usize];
                                            let (v, p) = crate::place::const_scalar(cv, 8);
                                            // A vtable has no unique address: one of several, at random.
                                            let salt = (self.os.nondet_u64() % crate::memory::ADDRS_PER_DUPLICABLE) as u32;
                                            let vt = self.mem.vtable_salted(Ptr { addr: v as u64, prov: p }, salt);
                                            (vt.addr, vt.prov)
                                        }
                                        MetaSource::Keep => (word(src + 8), pword(src + 8)),
                                        MetaSource::UpcastSlot { slot, from } => {
                                            let old = Ptr { addr: word(src + 8), prov: pword(src + 8) };
                                            self.use_vtable(old, from)?;
                                            let (v, p) = self.mem.vtable_entry(old, slot as u64)?;
                                            (v as u64, p)
                                        }
                                    };
                                    let _ = src_fat;
                                    self.write_loc_scalar(dl.offset(dst as u64), 8, data.0 as u128, data.1)?;
                                    self.write_loc_scalar(dl.offset(dst as u64 + 8), 8, m.0 as u128, m.1)?;
                                }
                            }
                        }
                        *pc += 1;
                    }
                    &Inst::StorageLive { local } => {
                        if let vigil_ir::LocalSlot::Mem { ptr_off, size, align } = func.locals[local as usize] {
                            let slot = base + ptr_off as usize;
                            let (old, oldp) = self.reg_read_raw(slot, 8);
                            if oldp.is_some() {
                                self.mem.deallocate(Ptr { addr: old as u64, prov: oldp }, None, AllocKind::Stack)?;
                            }
                            let p = self.mem.allocate_uninit(size as u64, align as u64, AllocKind::Stack);
                            self.mem.set_alloc_site(p.prov, Some((self.stack.last().unwrap().fn_id, func.spans[*pc as usize])));
                            self.reg_write(slot, 8, p.addr as u128, p.prov);
                        }
                        *pc += 1;
                    }
                    &Inst::StorageDead { local } => {
                        if let vigil_ir::LocalSlot::Mem { ptr_off, .. } = func.locals[local as usize] {
                            let slot = base + ptr_off as usize;
                            let (old, oldp) = self.reg_read_raw(slot, 8);
                            if oldp.is_some() {
                                self.mem.deallocate(Ptr { addr: old as u64, prov: oldp }, None, AllocKind::Stack)?;
                                self.mem.set_free_site(oldp, Some((self.stack.last().unwrap().fn_id, func.spans[*pc as usize])));
                            }
                            self.reg_write(slot, 8, 0, Prov::NONE);
                        }
                        *pc += 1;
                    }
                    &Inst::Uninit { reg, size } => {
                        self.reg_clear(base + reg as usize, size as usize);
                        *pc += 1;
                    }
                    &Inst::Assume { cond: op } => {
                        let (v, _) = self.read_operand_scalar(op, 1)?;
                        if v == 0 {
                            return Err(Error::ub("`assume` called with `false`"));
                        }
                        *pc += 1;
                    }
                    &Inst::Goto { target } => {
                        *pc = target.0;
                        if self.block_end_preempts() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    Inst::SwitchInt { discr, ty, values, targets } => {
                        let (v, _) = self.operand_scalar_at(base, *discr, ty.size as u32)?;
                        let i = values.iter().position(|&x| x == v).unwrap_or(values.len());
                        *pc = targets[i].0;
                        if self.block_end_preempts() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    &Inst::Assert { cond, expected, target, fail } => {
                        let (v, _) = self.operand_scalar_at(base, cond, 1)?;
                        *pc = if (v != 0) == expected { target.0 } else { fail.0 };
                        if self.block_end_preempts() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    Inst::Call { callee, args, dst, ret_size, target, unwind, caller_location } => {
                        self.set_pc(*pc);
                        self.exec_call(callee, args, *dst, *ret_size, target.map(|t| t.0), *unwind, *caller_location)?;
                        if self.next_frame_in_place() {
                            continue 'frame;
                        }
                        return Ok(());
                    }
                    &Inst::FnPtr { dst, f } => {
                        let salt = (self.os.nondet_u64() % crate::memory::ADDRS_PER_DUPLICABLE) as u32;
                        let p = self.mem.fn_ptr_salted(f, salt);
                        self.write_place_scalar(dst, 8, p.addr as u128, p.prov)?;
                        *pc += 1;
                    }
                    Inst::TailCall { callee, args } => {
                        self.set_pc(*pc);
                        self.exec_tail_call(callee, args)?;
                        return Ok(());
                    }
                    Inst::Return => {
                        self.set_pc(*pc);
                        self.exec_return()?;
                        if self.next_frame_in_place() {
                            continue 'frame;
                        }
                        return Ok(());
                    }
                    &Inst::InlineEnter { regs, size, body, protects, fresh_at, fresh_len } => {
                        // As a call: fresh registers for the callee (those it may read
                        // before writing), then what comes between frames after a call (a
                        // step, preemption, recycling).
                        let s = base + regs as usize;
                        // (Most calls have nothing to make fresh.)
                        if fresh_len != 0 {
                            self.reg_clear(s + fresh_at as usize, fresh_len as usize);
                        }
                        if protects {
                            self.enter_inlined_call(s + size as usize);
                        }
                        *pc = body.0;
                        if !self.next_frame_in_place() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    &Inst::InlineReturn { dst, src, size, target, ends, saved } => {
                        // As a return into a register: the protectors, the value, then what
                        // comes between frames after a return.
                        if ends.protects() {
                            self.leave_inlined_call(base + saved as usize)?;
                        }
                        // SAFETY: register fields of this frame's function (register bounds).
                        // (Nothing to copy when the caller reads no byte of the value.)
                        if size != 0 {
                            unsafe { self.copy_field_regs(base + src as usize, base + dst as usize, size as usize) };
                        }
                        if ends == vigil_ir::InlineEnd::ProtectorsAndYoung {
                            self.drop_young_after_inlined_return(target.0);
                        }
                        *pc = target.0;
                        if !self.next_frame_in_place() {
                            self.set_pc(*pc);
                            return Ok(());
                        }
                    }
                    Inst::Unreachable => return Err(Error::ub("entering unreachable code")),
                    Inst::UnwindResume => {
                        self.set_pc(*pc);
                        self.unwind_pop_frame()?;
                        return Ok(());
                    }
                    Inst::UnwindTerminate => return Err(Error::abort()),
                    Inst::Validate { place, validity, retag } => {
                        let loc = self.place_loc(*place)?;
                        self.validate(loc, validity, *retag)?;
                        *pc += 1;
                    }
                    Inst::ValidateInitReg { reg, validity } => {
                        let abs = base + *reg as usize;
                        let all = match *validity.checks.as_slice() {
                            // (The commonest: one word.) SAFETY: as below.
                            [vigil_ir::VCheck::Init { offset: 0, size: 8, .. }] => unsafe { self.field_word_init(abs) },
                            _ => validity.checks.iter().all(|c| match *c {
                                // SAFETY: inside a register field of this frame's function, whose
                                // width covers every initialization check (register bounds).
                                vigil_ir::VCheck::Init { offset, size, .. } => unsafe {
                                    self.field_init(abs + offset as usize, size as usize)
                                },
                                _ => true,
                            }),
                        };
                        if !all {
                            // The general check finds the first bad byte and reports it.
                            self.validate(Loc::Reg(abs), validity, vigil_ir::RetagMode::None)?;
                        }
                        *pc += 1;
                    }
                    Inst::ValidateScalarReg { reg, validity } => {
                        let abs = base + *reg as usize;
                        // SAFETY: a register field of this frame's function, as wide as its
                        // validity (register bounds).
                        let valid = match unsafe { self.common_scalar_valid(abs, validity) } {
                            Some(valid) => valid,
                            None => self.scalars_valid_in_regs(abs, validity),
                        };
                        if !valid {
                            // The general check finds the first bad value and reports it.
                            self.validate(Loc::Reg(abs), validity, vigil_ir::RetagMode::None)?;
                        }
                        *pc += 1;
                    }
                    Inst::ValidateRefReg { reg, validity, retag, nullable, unobserved } => {
                        let abs = base + *reg as usize;
                        // SAFETY: a register field of this frame's function (register bounds).
                        if !unsafe { self.validate_ref_reg(abs, validity, *retag, *nullable, *unobserved)? } {
                            self.validate(Loc::Reg(abs), validity, *retag)?;
                        }
                        *pc += 1;
                    }
                    &Inst::RetagRaw { place, layout, kind } => {
                        if self.mem.sb.is_some() {
                            let loc = self.place_loc(place)?;
                            let (a, p) = self.read_loc_scalar(loc, 8)?;
                            let ptr = Ptr { addr: a as u64, prov: p };
                            let size = match layout {
                                vigil_ir::DynLayout::Sized { size, .. } => size,
                                _ => {
                                    let (m, mp) = self.read_loc_scalar(loc.offset(8), 8)?;
                                    let meta = self.dyn_meta(layout, Ptr { addr: m as u64, prov: mp })?;
                                    layout.size_align(meta).map_or(u64::MAX, |(s, _)| s)
                                }
                            };
                            let new = self.retag_pointer(ptr, size, kind, vigil_ir::RetagMode::Default, None)?;
                            self.write_loc_scalar(loc, 8, new.addr as u128, new.prov)?;
                        }
                        *pc += 1;
                    }
                    &Inst::ThreadLocalRef { dst, index, template } => {
                        let (a, p) = crate::place::const_scalar(&func.consts[template as usize], 8);
                        let ptr = self.thread_local(index, Ptr { addr: a as u64, prov: p })?;
                        self.write_place_scalar(dst, 8, ptr.addr as u128, ptr.prov)?;
                        *pc += 1;
                    }
                    Inst::ProtectInPlace { places } => {
                        for &(pid, size) in places.iter() {
                            if let Loc::Mem(p) = self.place_loc(pid)? {
                                self.in_place.push((p, size));
                            }
                        }
                        *pc += 1;
                    }
                    &Inst::CheckScalar { src, kind } => {
                        let size = if kind == vigil_ir::ScalarCheck::Bool { 1 } else { 4 };
                        let (v, _) = self.read_operand_scalar(src, size)?;
                        let valid = match kind {
                            vigil_ir::ScalarCheck::Bool => v <= 1,
                            vigil_ir::ScalarCheck::Char => char::from_u32(v as u32).is_some(),
                        };
                        if !valid {
                            return Err(invalid_scalar(v, kind));
                        }
                        *pc += 1;
                    }
                    Inst::Unsupported { .. } | Inst::Ub { .. } | Inst::LinkError { .. } | Inst::EndOfCode => {
                        return Err(stop_error(&func.code[*pc as usize]));
                    }
                }
            }
        }
    }

    /// Writes the result of a register-form integer operation at `dst` (a `bool` for a
    /// comparison, the value then the overflow flag for a `*WithOverflow` op) and returns
    /// what a branch on it tests: the comparison, or the overflow flag.
    ///
    /// # Safety
    /// `dst` is the destination register field of a register-form integer operation of
    /// type `ty` in the running frame, with its width (register bounds).
    #[inline(always)]
    unsafe fn write_int_result(&mut self, op: vigil_ir::IntOp, ty: vigil_ir::IntTy, dst: usize, x: u64, y: u64) -> bool {
        let (v, overflow) = arith::int_op(op, ty, x, y);
        // SAFETY: the field's width (`vigil_ir::for_each_register`) covers what is written:
        // one byte for a comparison, the value and then the flag for an overflow check.
        if op.is_comparison() {
            unsafe { self.set_int_reg(dst, 1, v) };
            return v != 0;
        }
        unsafe { self.set_int_reg(dst, ty.size, v) };
        if op.has_overflow_flag() {
            unsafe { self.set_int_reg(dst + ty.size as usize, 1, overflow as u64) };
        }
        overflow
    }

    /// `ptr.offset(delta)` must stay inside (or one past the end of) `ptr`'s allocation.
    pub(crate) fn check_inbounds_offset(&self, p: Ptr, delta: Option<i64>) -> Res<()> {
        let Some(delta) = delta else {
            return Err(Error::ub("overflowing pointer arithmetic: the total offset in bytes does not fit in an `isize`"));
        };
        if delta == 0 {
            return Ok(());
        }
        let fail = |what: String| {
            Err(Error::ub(format!("in-bounds pointer arithmetic failed: attempting to offset pointer by {delta} bytes, but got {what}")))
        };
        // (A wildcard pointer is checked against the exposed allocation that holds the bytes
        // it moves over, if any.)
        let to = p.addr.wrapping_add(delta as u64);
        let p = self.mem.resolve_wildcard_span(p, p.addr.min(to), p.addr.max(to));
        if p.prov.alloc == 0 {
            return fail(format!("{} which is a dangling pointer (it has no provenance)", crate::memory::fmt_ptr(p)));
        }
        let a = self.mem.get(p.prov);
        if !a.live {
            return Err(Error::ub(format!(
                "in-bounds pointer arithmetic failed: alloc{} has been freed, so this pointer is dangling",
                p.prov
            )));
        }
        let off = p.addr.wrapping_sub(a.base) as i64;
        let new = off.checked_add(delta);
        match new {
            Some(n) if n >= 0 && n as u64 <= a.size => Ok(()),
            _ if delta > 0 => fail(format!("alloc{} which is only {} bytes from the end of the allocation", p.prov, a.size as i64 - off)),
            _ => fail(format!("alloc{} which is only {off} bytes from the beginning of the allocation", p.prov)),
        }
    }

    pub(crate) fn read_discriminant(&mut self, loc: Loc, info: &DiscrInfo) -> Res<u128> {
        let variant = match info.kind {
            DiscrKind::Single { variant } => variant,
            DiscrKind::Direct { offset, tag } => {
                let (t, _) = self.read_loc_scalar(loc.offset(offset as u64), tag.size as u64)?;
                // The tag is the discriminant value; widen it to the result type.
                let v = if tag.signed { sign_extend(t, tag.bits()) as u128 } else { t };
                let d = truncate(v, info.result.bits());
                if !info.tag_in_range(t, tag.bits()) || (!info.tag_dense && !info.values.contains(&d)) {
                    return Err(invalid_tag(t, tag.size));
                }
                if !info.uninhabited.is_empty()
                    && let Some(i) = info.values.iter().position(|&x| x == d)
                    && info.uninhabited[i]
                {
                    return Err(Error::ub(UNINHABITED_DISCRIMINANT));
                }
                return Ok(d);
            }
            DiscrKind::Niche { offset, tag, untagged, variants_start, variants_end, niche_start } => {
                let (t, p) = self.read_loc_scalar(loc.offset(offset as u64), tag.size as u64)?;
                if p.is_some() {
                    // A pointer in the niche is never one of the small niche values.
                    untagged
                } else if !info.tag_in_range(t, tag.bits()) {
                    return Err(invalid_tag(t, tag.size));
                } else {
                    let rel = truncate(t.wrapping_sub(niche_start), tag.bits());
                    if rel <= (variants_end - variants_start) as u128 {
                        let v = variants_start + rel as u32;
                        // The niche value that would encode the untagged variant encodes nothing.
                        if v == untagged {
                            return Err(invalid_tag(t, tag.size));
                        }
                        v
                    } else {
                        untagged
                    }
                }
            }
        };
        if !info.uninhabited.is_empty() && info.uninhabited.get(variant as usize).copied().unwrap_or(true) {
            return Err(Error::ub(UNINHABITED_DISCRIMINANT));
        }
        Ok(info.values[variant as usize])
    }

    pub(crate) fn write_discriminant(&mut self, loc: Loc, info: &DiscrInfo, variant: u32) -> Res<()> {
        match info.kind {
            DiscrKind::Single { .. } => Ok(()),
            DiscrKind::Direct { offset, tag } => {
                let v = truncate(info.values[variant as usize], tag.bits());
                self.write_loc_scalar(loc.offset(offset as u64), tag.size as u64, v, Prov::NONE)
            }
            DiscrKind::Niche { offset, tag, untagged, variants_start, niche_start, .. } => {
                if variant == untagged {
                    return Ok(());
                }
                let v = truncate(((variant - variants_start) as u128).wrapping_add(niche_start), tag.bits());
                self.write_loc_scalar(loc.offset(offset as u64), tag.size as u64, v, Prov::NONE)
            }
        }
    }
}

/// A `bool` or `char` operand with a value its type does not allow.
#[cold]
fn invalid_scalar(v: u128, kind: vigil_ir::ScalarCheck) -> Error {
    let (bits, ty) = if kind == vigil_ir::ScalarCheck::Bool { (8, "bool") } else { (32, "char") };
    Error::ub(format!("interpreting an invalid {bits}-bit value as a {ty}: {v:#0w$x}", w = 2 + bits / 4))
}

/// Reading a tag that names no variant (reported like the reference interpreter, the
/// value in hex with two digits per byte).
#[cold]
fn invalid_tag(tag: u128, size: u8) -> Error {
    Error::ub(format!("enum value has invalid tag: {tag:#0w$x}", w = 2 + 2 * size as usize))
}

const UNINHABITED_DISCRIMINANT: &str = "read discriminant of an uninhabited enum variant";

fn cast_sizes(op: CastOp) -> (u32, u32) {
    use vigil_ir::FloatTy::*;
    let fsize = |f| if f == F32 { 4 } else { 8 };
    match op {
        CastOp::IntToInt { from, to } => (from.size as u32, to.size as u32),
        CastOp::IntToFloat { from, to } => (from.size as u32, fsize(to)),
        CastOp::FloatToInt { from, to } => (fsize(from), to.size as u32),
        CastOp::FloatToFloat { from, to } => (fsize(from), fsize(to)),
        CastOp::Bytes { size } | CastOp::StripProvenance { size } => (size, size),
        CastOp::ExposeProvenance { to } => (8, to.size as u32),
        CastOp::WithExposedProvenance { from } => (from.size as u32, 8),
    }
}

/// The error an instruction that only stops execution stops it with (cold: built once).
#[cold]
#[inline(never)]
fn stop_error(inst: &Inst) -> Error {
    match inst {
        Inst::Unsupported { msg } => Error::unsupported(msg.to_string()),
        Inst::Ub { msg } => Error::ub(msg.to_string()),
        Inst::LinkError { msg } => Error::new(crate::error::ErrorKind::LinkError(msg.to_string())),
        Inst::EndOfCode => Error::unsupported("execution went past the end of a function's code (a Vigil bug)"),
        _ => unreachable!("not a stopping instruction"),
    }
}
