//! Lowering of calls: `Call` and `TailCall` terminators (arguments, rust-call untupling,
//! the destination, unwinding), the retags and checks a call makes of its arguments, and
//! calls of panic lang items.

use rustc_abi::ExternAbi;
use rustc_middle::mir::{self, BasicBlock, Local, UnwindAction};
use rustc_middle::ty::{self, Instance, InstanceKind, Ty};
use rustc_span::Span;
use vigil_ir::{Callee, Inst, Label, LocalSlot, Operand, RetagMode, Unwind};

use super::body::{FnLower, offsets_through_deref};
use super::foreign;
use super::types::{layout_of, size_of, typing_env};

/// How a lowered call ends.
pub(super) enum CallEnd<'tcx> {
    /// An ordinary call: the result goes to `destination`, then on to `target` (or `unwind`).
    Returns { destination: mir::Place<'tcx>, target: Option<BasicBlock>, unwind: UnwindAction },
    /// `become`: the callee replaces this frame (or, for a callee that cannot, its result is
    /// returned at once).
    Tail,
}

impl<'a, 'tcx> FnLower<'a, 'tcx> {
    pub fn lower_unwind(&mut self, u: UnwindAction) -> Unwind {
        match u {
            UnwindAction::Continue => Unwind::Continue,
            UnwindAction::Unreachable => Unwind::Unreachable,
            UnwindAction::Cleanup(bb) => Unwind::Cleanup(Label(bb.as_u32())),
            UnwindAction::Terminate(reason) => {
                let call = self.lang_item_call(reason.lang_item(), Vec::new(), Unwind::Unreachable);
                Unwind::Cleanup(Label(self.extra_block(vec![call])))
            }
        }
    }

    /// The operand holding this call site's `Location` for `#[track_caller]` callees.
    pub fn caller_location_operand(&mut self) -> Operand {
        match self.caller_location {
            Some(off) => Operand::Reg(off),
            None => {
                let cv = self.lw.caller_location_const(self.cur_span, self.mem);
                self.add_const(cv)
            }
        }
    }

    /// A call to a panicking lang item function that never returns.
    pub(super) fn lang_item_call(&mut self, item: rustc_hir::LangItem, args: Vec<(Operand, u32)>, unwind: Unwind) -> Inst {
        let tcx = self.tcx();
        let def_id = tcx.require_lang_item(item, self.cur_span);
        let inst = Instance::mono(tcx, def_id);
        let caller_location = inst.def.requires_caller_location(tcx).then(|| self.caller_location_operand());
        let dst = self.reg_place(0);
        Inst::Call { callee: Callee::Fn(self.lw.intern(inst)), args: args.into(), dst, ret_size: 0, target: None, unwind, caller_location }
    }

    /// `become f(args)`: Rust functions, fn pointers and virtual calls replace this frame
    /// (`Inst::TailCall`); anything else (an intrinsic, an emulated function) is an ordinary
    /// call into the return place followed by a return, which is observably the same.
    pub(super) fn lower_tail_call(&mut self, func: &mir::Operand<'tcx>, args: &[rustc_span::Spanned<mir::Operand<'tcx>>], fn_span: Span) {
        self.lower_call(func, args, CallEnd::Tail, fn_span);
    }

    /// What `return` does: validate the return value, then pop the frame.
    pub(super) fn return_insts(&mut self) -> Vec<Inst> {
        let mut out = Vec::new();
        if let Some(v) = self.lw.validity(self.local_ty(Local::from_usize(0))) {
            let place = self.local_place(Local::from_usize(0));
            let place = self.add_place(place);
            out.push(Inst::Validate { place, validity: v, retag: RetagMode::None });
        }
        out.push(Inst::Return);
        out
    }

    pub(super) fn lower_call(
        &mut self,
        func: &mir::Operand<'tcx>,
        args: &[rustc_span::Spanned<mir::Operand<'tcx>>],
        end: CallEnd<'tcx>,
        fn_span: Span,
    ) {
        let tcx = self.tcx();
        let (destination, target, unwind, tail) = match end {
            CallEnd::Returns { destination, target, unwind } => (destination, target, unwind, false),
            CallEnd::Tail => {
                let ret = self.return_insts();
                let back = BasicBlock::from_u32(self.extra_block(ret));
                (mir::Place::return_place(), Some(back), UnwindAction::Continue, true)
            }
        };
        let fty = self.operand_ty(func);
        let dst_ty = self.mono(destination.ty(self.body, tcx).ty);
        let ret_size = size_of(tcx, dst_ty);
        let target = target.map(|t| t.as_u32());
        let (callee, rust_call, needs_loc) = match *fty.kind() {
            ty::FnDef(def_id, fargs) => {
                let rust_call = fty.fn_sig(tcx).abi() == ExternAbi::RustCall;
                let inst = Instance::expect_resolve(tcx, typing_env(), def_id, fargs, self.cur_span);
                let needs_loc = inst.def.requires_caller_location(tcx);
                let callee = match inst.def {
                    InstanceKind::Intrinsic(_) => {
                        let lowered: Vec<(Operand, u32)> = args.iter().map(|a| self.lower_operand(&a.node)).collect();
                        let arg_tys: Vec<Ty<'tcx>> = args.iter().map(|a| self.operand_ty(&a.node)).collect();
                        let dst = self.lower_place(destination);
                        let unwind = self.lower_unwind(unwind);
                        return self.lower_intrinsic(inst, lowered, arg_tys, dst, dst_ty, target, unwind);
                    }
                    InstanceKind::Virtual(_, idx) => {
                        // The receiver's `dyn` type says which trait's vtable the call expects.
                        let recv = args.first().map(|a| self.operand_ty(&a.node)).and_then(|t| t.builtin_deref(true).or(t.boxed_ty()));
                        let trait_id = recv.map_or(0, |t| self.lw.dyn_trait_id(tcx.struct_tail_for_codegen(t, typing_env())));
                        Callee::Virtual { index: idx as u32, trait_id }
                    }
                    // core's `ptr::align_offset`, which the machine answers itself (symbolic alignment).
                    InstanceKind::Item(d)
                        if tcx.opt_item_name(d).is_some_and(|n| n.as_str() == "align_offset")
                            && tcx.crate_name(d.krate).as_str() == "core"
                            && tcx.def_kind(tcx.parent(d)) == rustc_hir::def::DefKind::Mod =>
                    {
                        let elem_size = size_of(tcx, inst.args.type_at(0)) as u64;
                        Callee::Intrinsic(Box::new(vigil_ir::Intrinsic::AlignOffset { elem_size }))
                    }
                    InstanceKind::Item(d) if tcx.is_foreign_item(d) => match foreign::foreign_shim(tcx, d) {
                        Some(s) if let Some(def) = self.lw.global_allocator_fn(s) => Callee::Fn(self.lw.intern(def)),
                        Some(s) => {
                            if let Some(msg) = self.lw.symbol_clash(d, true) {
                                return self.emit(Inst::LinkError { msg: msg.into() });
                            }
                            if let Some(msg) = foreign::declaration_mismatch(tcx, d, s) {
                                return self.emit(Inst::Ub { msg: msg.into() });
                            }
                            Callee::Foreign(s)
                        }
                        None if let Some(name) = super::x86::llvm_link_name(tcx, d) => match self.x86_callee(d, &name, dst_ty) {
                            Ok(callee) => callee,
                            Err(stop) => return self.emit(stop),
                        },
                        None => match self.lw.exported_definition(d) {
                            Some(_) if let Some(msg) = self.lw.symbol_clash(d, false) => {
                                return self.emit(Inst::LinkError { msg: msg.into() });
                            }
                            Some(def) => {
                                // The declaration's calling convention must be the definition's.
                                let (declared, defined) = (tcx.fn_sig(d).skip_binder().abi(), tcx.fn_sig(def.def_id()).skip_binder().abi());
                                if declared != defined {
                                    let msg =
                                        format!("calling a function with calling convention {defined} using calling convention {declared}");
                                    return self.emit(Inst::Ub { msg: msg.into() });
                                }
                                Callee::Fn(self.lw.intern(def))
                            }
                            None if self.lw.exported_static(d) => {
                                return self
                                    .emit(Inst::Ub { msg: "attempt to call an exported symbol that is not defined as a function".into() });
                            }
                            None => {
                                let name = tcx.item_name(d);
                                return self
                                    .emit(Inst::Unsupported { msg: format!("can't call foreign function `{name}` on OS `linux`").into() });
                            }
                        },
                    },
                    _ => {
                        if let Some(msg) = super::x86::missing_target_features(tcx, inst) {
                            return self.emit(Inst::Ub { msg: msg.into() });
                        }
                        Callee::Fn(self.lw.intern(inst))
                    }
                };
                (callee, rust_call, needs_loc)
            }
            ty::FnPtr(_, hdr) => {
                let (op, _) = self.lower_operand(func);
                let sig = self.lw.fn_ptr_sig(fty);
                (Callee::FnPtr { ptr: op, sig }, hdr.abi() == ExternAbi::RustCall, false)
            }
            _ => return self.emit(Inst::Unsupported { msg: format!("calling a value of type `{fty}`").into() }),
        };
        let mut lowered = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if rust_call && i + 1 == args.len() {
                self.untuple_arg(&a.node, &mut lowered);
            } else if let (mir::Operand::Move(p) | mir::Operand::Copy(p), false) =
                (&a.node, self.operand_ty(&a.node).is_sized(tcx, typing_env()))
            {
                // An unsized argument (`*self: dyn FnOnce`) is passed by reference, as in the ABI.
                let inbounds = offsets_through_deref(p);
                let src = self.lower_place(*p);
                let t = self.pointer_temp();
                let tp = self.reg_place(t);
                self.emit(Inst::Ref { dst: tp, place: src, fat: true, inbounds });
                lowered.push((Operand::Reg(t), 16));
            } else {
                lowered.push(self.lower_operand(&a.node));
            }
        }
        let mut target = target;
        if let Callee::FnPtr { .. } = callee {
            target = self.validate_at_indirect_call(args, rust_call, destination, dst_ty, target);
        }
        let tail = tail && matches!(callee, Callee::Fn(_) | Callee::FnPtr { .. } | Callee::Virtual { .. }) && !needs_loc;

        if !matches!(callee, Callee::Foreign(_)) {
            // Zero-sized arguments are not passed (the callee's parameters skip them too).
            lowered.retain(|a| a.1 > 0);
        }
        // `#[track_caller]` locations point at the call's `fn_span` (the method name for method calls).
        let call_span = std::mem::replace(&mut self.cur_span, fn_span);
        let caller_location = needs_loc.then(|| self.caller_location_operand());
        self.cur_span = call_span;
        let dst = self.lower_place(destination);
        let unwind = self.lower_unwind(unwind);
        if tail {
            // Lowered zero-sized arguments are dropped above, as for any Rust call.
            return self.emit(Inst::TailCall { callee, args: lowered.into() });
        }
        if matches!(callee, Callee::Fn(_) | Callee::FnPtr { .. } | Callee::Virtual { .. }) {
            self.protect_in_place(args, rust_call, destination, ret_size);
        }
        self.emit(Inst::Call { callee, args: lowered.into(), dst, ret_size, target: target.map(Label), unwind, caller_location });
    }

    /// Whether `p` is a place in memory (behind a pointer, or a local whose address is taken)
    /// rather than registers only this frame can reach.
    pub(super) fn in_memory(&self, p: &mir::Place<'tcx>) -> bool {
        p.is_indirect() || matches!(self.locals[p.local.as_usize()], LocalSlot::Mem { .. })
    }

    /// The places a Rust call uses in place: arguments passed by `move` and the return place,
    /// when they are in memory (another pointer may reach them). The machine protects them
    /// for the call's duration and makes them uninitialized (`Inst::ProtectInPlace`).
    pub(super) fn protect_in_place(
        &mut self,
        args: &[rustc_span::Spanned<mir::Operand<'tcx>>],
        rust_call: bool,
        destination: mir::Place<'tcx>,
        ret_size: u32,
    ) {
        let tcx = self.tcx();
        let mut places = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let mir::Operand::Move(p) = &a.node else { continue };
            if (rust_call && i + 1 == args.len()) || !self.in_memory(p) {
                continue;
            }
            let ty = self.operand_ty(&a.node);
            if !ty.is_sized(tcx, typing_env()) {
                continue;
            }
            let size = size_of(tcx, ty);
            if size > 0 {
                let pid = self.lower_place(*p);
                places.push((pid, size));
            }
        }
        if ret_size > 0 && self.in_memory(&destination) {
            let pid = self.lower_place(destination);
            places.push((pid, ret_size));
        }
        if !places.is_empty() {
            self.emit(Inst::ProtectInPlace { places: places.into() });
        }
    }

    /// A call through a fn pointer may reach a function whose signature differs (a
    /// transmuted fn pointer); the callee validates its parameters and return value at its
    /// own types, so the caller's types are checked here: arguments read straight through a
    /// pointer (values in locals were validated when written) before the call, and the
    /// returned value in an out-of-line block on the way back. Returns the call's new target.
    pub(super) fn validate_at_indirect_call(
        &mut self,
        args: &[rustc_span::Spanned<mir::Operand<'tcx>>],
        rust_call: bool,
        destination: mir::Place<'tcx>,
        dst_ty: Ty<'tcx>,
        target: Option<u32>,
    ) -> Option<u32> {
        if !self.lw.validate {
            return target;
        }
        let tcx = self.tcx();
        for (i, a) in args.iter().enumerate() {
            let (mir::Operand::Copy(p) | mir::Operand::Move(p)) = &a.node else { continue };
            let ty = self.operand_ty(&a.node);
            if (rust_call && i + 1 == args.len()) || !p.is_indirect() || !ty.is_sized(tcx, typing_env()) {
                continue;
            }
            if let Some(v) = self.lw.validity(ty)
                && !super::validity::only_init(&v)
            {
                let place = self.lower_place(*p);
                self.emit(Inst::Validate { place, validity: v, retag: RetagMode::None });
            }
        }
        let target = target?;
        match self.lw.validity(dst_ty) {
            Some(v) if !super::validity::only_init(&v) => {
                let place = self.lower_place(destination);
                Some(
                    self.extra_block(vec![
                        Inst::Validate { place, validity: v, retag: RetagMode::None },
                        Inst::Goto { target: Label(target) },
                    ]),
                )
            }
            _ => Some(target),
        }
    }

    /// Splits a "rust-call" tuple argument into one argument per field.
    pub fn untuple_arg(&mut self, op: &mir::Operand<'tcx>, out: &mut Vec<(Operand, u32)>) {
        let tcx = self.tcx();
        let ty = self.operand_ty(op);
        let layout = layout_of(tcx, ty);
        let ty::Tuple(fields) = ty.kind() else {
            out.push(self.lower_operand(op));
            return;
        };
        let (whole, _) = self.lower_operand(op);
        for (i, fty) in fields.iter().enumerate() {
            let off = layout.fields.offset(i).bytes() as u32;
            let size = size_of(tcx, fty);
            let part = self.sub_operand(whole, off, size);
            out.push((part, size));
        }
    }
}
