//! Lowering of intrinsic calls: folded to constants, mapped to machine intrinsics or
//! arithmetic instructions, or run through their fallback MIR body.

use rustc_middle::ty::{self, Instance, InstanceKind, Ty};
use vigil_ir::{
    AtomicOp, AtomicOrd, BinOp, Callee, ConstValue, FloatBinOp, FloatTy, FloatUnOp, Inst, IntTy, Intrinsic, Label, Operand, PlaceId,
    ScalarTy, UnOp, Unwind,
};

use super::body::FnLower;
use super::simd::NotLowered;
use super::types::{dyn_layout, float_ty, int_ty, layout_of, scalar_ty, size_of, typing_env};

impl<'a, 'tcx> FnLower<'a, 'tcx> {
    /// A call of the intrinsic's fallback body (its MIR), without zero-sized arguments.
    fn call_fallback_body(
        &mut self,
        inst: Instance<'tcx>,
        args: Vec<(Operand, u32)>,
        dst: PlaceId,
        ret_size: u32,
        target: Option<u32>,
        unwind: Unwind,
    ) {
        let item = Instance { def: InstanceKind::Item(inst.def_id()), args: inst.args };
        let args: Vec<_> = args.into_iter().filter(|a| a.1 > 0).collect();
        let caller_location = item.def.requires_caller_location(self.tcx()).then(|| self.caller_location_operand());
        let f = self.lw.intern(item);
        let target = target.map(Label);
        self.emit(Inst::Call { callee: Callee::Fn(f), args: args.into(), dst, ret_size, target, unwind, caller_location });
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn lower_intrinsic(
        &mut self,
        inst: Instance<'tcx>,
        mut args: Vec<(Operand, u32)>,
        arg_tys: Vec<Ty<'tcx>>,
        dst: PlaceId,
        dst_ty: Ty<'tcx>,
        target: Option<u32>,
        unwind: Unwind,
    ) {
        let tcx = self.tcx();
        let name = tcx.item_name(inst.def_id());
        let name = name.as_str();
        let ret_size = size_of(tcx, dst_ty);
        // `-Zmiri-force-intrinsic-fallback`: every intrinsic with a fallback body runs it.
        let has_fallback = !tcx.intrinsic(inst.def_id()).map(|i| i.must_be_overridden).unwrap_or(true);
        if self.lw.force_intrinsic_fallback && has_fallback {
            return self.call_fallback_body(inst, args, dst, ret_size, target, unwind);
        }
        let t0 = || inst.args.type_at(0);
        let int0 = || int_ty(tcx, inst.args.type_at(0)).unwrap_or(IntTy::USIZE);
        // `typed_swap_nonoverlapping` reads both places as values of `T`, so both must be
        // valid; its fallback body (run below) swaps the bytes without looking at them.
        if name == "typed_swap_nonoverlapping"
            && self.lw.validate
            && let Some(v) = self.lw.validity(t0())
            && !super::validity::only_init(&v)
        {
            let align = super::types::align_of(tcx, t0()) as u32;
            for a in [args[0].0, args[1].0] {
                let place = self.deref_operand(a, false, align);
                self.emit(Inst::Validate { place, validity: v.clone(), retag: vigil_ir::RetagMode::None });
            }
        }
        let arg_int = |i: usize| int_ty(tcx, arg_tys[i]).unwrap_or(IntTy::USIZE);
        // The memory ordering of an atomic intrinsic: its `i`-th generic argument.
        let ord = |i: usize| {
            use rustc_middle::ty::AtomicOrdering as O;
            let v = inst.args.const_at(i).to_value();
            match v.to_branch()[0].to_value().to_leaf().to_atomic_ordering() {
                O::Relaxed => AtomicOrd::Relaxed,
                O::Release => AtomicOrd::Release,
                O::Acquire => AtomicOrd::Acquire,
                O::AcqRel => AtomicOrd::AcqRel,
                O::SeqCst => AtomicOrd::SeqCst,
            }
        };
        let goto = |fl: &mut Self| {
            if let Some(t) = target { fl.emit(Inst::Goto { target: Label(t) }) } else { fl.emit(Inst::Unreachable) }
        };
        // Pure value computations become ordinary instructions.
        let bin = |fl: &mut Self, op: BinOp| {
            let lhs = scalar_ty(tcx, arg_tys[0]).unwrap_or(ScalarTy::Int(IntTy::USIZE));
            let rhs = scalar_ty(tcx, arg_tys[1]).unwrap_or(ScalarTy::Int(IntTy::USIZE));
            fl.emit(Inst::BinOp { op, lhs, rhs, dst, a: args[0].0, b: args[1].0 });
            goto(fl)
        };
        let float = || float_ty(arg_tys[0]).unwrap_or(FloatTy::F64);
        let intrinsic = match name {
            "size_of" | "align_of" | "needs_drop" | "type_name" | "type_id" | "variant_count" | "min_align_of" | "pref_align_of" => {
                return self.const_intrinsic(inst, dst, ret_size, target);
            }
            "add_with_overflow" => return bin(self, BinOp::AddWithOverflow),
            "sub_with_overflow" => return bin(self, BinOp::SubWithOverflow),
            "mul_with_overflow" => return bin(self, BinOp::MulWithOverflow),
            "unchecked_add" => return bin(self, BinOp::AddUnchecked),
            "unchecked_sub" => return bin(self, BinOp::SubUnchecked),
            "unchecked_mul" => return bin(self, BinOp::MulUnchecked),
            "unchecked_shl" => return bin(self, BinOp::ShlUnchecked),
            "unchecked_shr" => return bin(self, BinOp::ShrUnchecked),
            "wrapping_add" => return bin(self, BinOp::Add),
            "wrapping_sub" => return bin(self, BinOp::Sub),
            "wrapping_mul" => return bin(self, BinOp::Mul),
            "three_way_compare" => return bin(self, BinOp::Cmp),
            "offset" => {
                let pointee = arg_tys[0].builtin_deref(true).unwrap();
                return bin(self, BinOp::Offset { elem_size: size_of(tcx, pointee) });
            }
            "type_id_eq" => {
                self.emit(Inst::BinOp { op: BinOp::Eq, lhs: ScalarTy::FatPtr, rhs: ScalarTy::FatPtr, dst, a: args[0].0, b: args[1].0 });
                return goto(self);
            }
            "transmute" | "transmute_unchecked" => {
                self.emit_move(dst, args[0].0, ret_size);
                return goto(self);
            }
            "ptr_metadata" => {
                let sty = if args[0].1 == 16 { ScalarTy::FatPtr } else { ScalarTy::Ptr };
                self.emit(Inst::UnOp { op: UnOp::PtrMetadata, ty: sty, dst, a: args[0].0 });
                return goto(self);
            }
            "aggregate_raw_ptr" => {
                self.emit_move(dst, args[0].0, 8);
                if args[1].1 > 0 {
                    let f = self.field_place(dst, 8, false);
                    self.emit_move(f, args[1].0, args[1].1);
                }
                return goto(self);
            }
            "discriminant_value" => {
                let pointee = arg_tys[0].builtin_deref(true).unwrap();
                let info = Box::new(super::types::discr_info(tcx, pointee));
                let align = layout_of(tcx, pointee).align.bytes() as u32;
                let place = self.deref_operand(args[0].0, false, align);
                self.emit(Inst::Discriminant { dst, place, info });
                return goto(self);
            }
            "vtable_size" | "vtable_align" => {
                let place = self.deref_operand(args[0].0, false, 8);
                let f = self.field_place(place, if name == "vtable_size" { 8 } else { 16 }, false);
                let src = self.place_operand(f);
                self.emit_move(dst, src, 8);
                return goto(self);
            }
            "const_eval_select" => {
                // Run the runtime function (third argument) on the untupled arguments.
                let rt_ty = inst.args.type_at(2);
                let ty::FnDef(def_id, fargs) = *rt_ty.kind() else { unreachable!() };
                let rt = Instance::expect_resolve(tcx, typing_env(), def_id, fargs, self.cur_span);
                let tuple_ty = arg_tys[0];
                let layout = layout_of(tcx, tuple_ty);
                let mut call_args = Vec::new();
                if let ty::Tuple(fields) = tuple_ty.kind() {
                    for (i, fty) in fields.iter().enumerate() {
                        let off = layout.fields.offset(i).bytes() as u32;
                        let size = size_of(tcx, fty);
                        let part = self.sub_operand(args[0].0, off, size);
                        if size > 0 {
                            call_args.push((part, size));
                        }
                    }
                }
                let caller_location = rt.def.requires_caller_location(tcx).then(|| self.caller_location_operand());
                let f = self.lw.intern(rt);
                return self.emit(Inst::Call {
                    callee: Callee::Fn(f),
                    args: call_args.into(),
                    dst,
                    ret_size,
                    target: target.map(Label),
                    unwind,
                    caller_location,
                });
            }
            "copy_nonoverlapping" => {
                Intrinsic::CopyNonOverlapping { elem_size: size_of(tcx, t0()) as u64, elem_align: super::types::align_of(tcx, t0()) }
            }
            "copy" => Intrinsic::Copy { elem_size: size_of(tcx, t0()) as u64, elem_align: super::types::align_of(tcx, t0()) },
            "write_bytes" | "volatile_set_memory" => {
                Intrinsic::WriteBytes { elem_size: size_of(tcx, t0()) as u64, elem_align: super::types::align_of(tcx, t0()) }
            }
            "volatile_load" | "unaligned_volatile_load" => Intrinsic::Load { size: ret_size },
            "volatile_store" | "unaligned_volatile_store" => Intrinsic::Store { size: args[1].1 },
            "read_via_copy" => Intrinsic::ReadViaCopy { size: ret_size },
            "write_via_move" => Intrinsic::WriteViaMove { size: args[1].1 },
            "size_of_val" => Intrinsic::SizeOfVal(dyn_layout(tcx, t0())),
            "align_of_val" | "min_align_of_val" => Intrinsic::AlignOfVal(dyn_layout(tcx, t0())),
            "ctpop" => Intrinsic::Ctpop(int0()),
            "ctlz" => Intrinsic::Ctlz(int0()),
            "cttz" => Intrinsic::Cttz(int0()),
            "ctlz_nonzero" => Intrinsic::CtlzNonzero(int0()),
            "cttz_nonzero" => Intrinsic::CttzNonzero(int0()),
            "float_to_int_unchecked" => Intrinsic::FloatToIntUnchecked {
                from: float_ty(t0()).unwrap_or(FloatTy::F64),
                to: int_ty(tcx, dst_ty).unwrap_or(IntTy::USIZE),
            },
            "bswap" => Intrinsic::Bswap(int0()),
            "bitreverse" => Intrinsic::Bitreverse(int0()),
            "rotate_left" => Intrinsic::RotateLeft(int0()),
            "rotate_right" => Intrinsic::RotateRight(int0()),
            "exact_div" => Intrinsic::ExactDiv(int0()),
            "unchecked_div" => Intrinsic::UncheckedDiv(int0()),
            "unchecked_rem" => Intrinsic::UncheckedRem(int0()),
            "saturating_add" => Intrinsic::SaturatingAdd(int0()),
            "saturating_sub" => Intrinsic::SaturatingSub(int0()),
            "disjoint_bitor" => Intrinsic::DisjointBitor(int0()),
            "ptr_offset_from" | "ptr_offset_from_unsigned" => {
                Intrinsic::PtrOffsetFrom { elem_size: size_of(tcx, t0()).max(1) as u64, unsigned: name == "ptr_offset_from_unsigned" }
            }
            "arith_offset" => Intrinsic::ArithOffset { elem_size: size_of(tcx, t0()) as u64 },
            "ptr_guaranteed_cmp" => Intrinsic::PtrGuaranteedCmp,
            "ptr_mask" => Intrinsic::PtrMask,
            "abort" => Intrinsic::Abort,
            "breakpoint" => Intrinsic::Breakpoint,
            "va_arg" => Intrinsic::VaArg { size: ret_size },
            "va_copy" => Intrinsic::VaCopy,
            "va_end" => Intrinsic::VaEnd,
            "unreachable" => Intrinsic::Unreachable,
            "assume" => Intrinsic::Assume,
            "catch_unwind" => Intrinsic::CatchUnwind { try_sig: self.lw.fn_ptr_sig(arg_tys[0]), catch_sig: self.lw.fn_ptr_sig(arg_tys[2]) },
            "black_box" | "likely" | "unlikely" | "assert_inhabited" | "assert_zero_valid" | "assert_mem_uninitialized_valid" => {
                if ret_size == 0 && args.first().map(|a| a.1).unwrap_or(0) == 0 {
                    Intrinsic::Nop
                } else {
                    Intrinsic::Identity { size: ret_size }
                }
            }
            "forget"
            | "cold_path"
            | "prefetch_read_data"
            | "prefetch_write_data"
            | "prefetch_read_instruction"
            | "prefetch_write_instruction" => Intrinsic::Nop,
            "raw_eq" => Intrinsic::RawEq { size: size_of(tcx, t0()) as u64 },
            "compare_bytes" => Intrinsic::CompareBytes,
            // Outside a `#[track_caller]` function the location is the call's own.
            "caller_location" if self.caller_location.is_none() => {
                let loc = self.caller_location_operand();
                self.emit_move(dst, loc, 8);
                return goto(self);
            }
            "caller_location" => Intrinsic::CallerLocation,
            "is_val_statically_known" => Intrinsic::NondetBool,
            "atomic_load" => Intrinsic::AtomicLoad { size: ret_size, ord: ord(1) },
            "atomic_store" => Intrinsic::AtomicStore { size: args[1].1, ord: ord(1) },
            "atomic_xchg" => Intrinsic::AtomicRmw { op: AtomicOp::Xchg, ty: arg_int(1), ord: ord(1) },
            "atomic_xadd" => Intrinsic::AtomicRmw { op: AtomicOp::Add, ty: arg_int(1), ord: ord(2) },
            "atomic_xsub" => Intrinsic::AtomicRmw { op: AtomicOp::Sub, ty: arg_int(1), ord: ord(2) },
            "atomic_and" => Intrinsic::AtomicRmw { op: AtomicOp::And, ty: arg_int(1), ord: ord(2) },
            "atomic_nand" => Intrinsic::AtomicRmw { op: AtomicOp::Nand, ty: arg_int(1), ord: ord(2) },
            "atomic_or" => Intrinsic::AtomicRmw { op: AtomicOp::Or, ty: arg_int(1), ord: ord(2) },
            "atomic_xor" => Intrinsic::AtomicRmw { op: AtomicOp::Xor, ty: arg_int(1), ord: ord(2) },
            "atomic_max" | "atomic_umax" => Intrinsic::AtomicRmw { op: AtomicOp::Max, ty: arg_int(1), ord: ord(1) },
            "atomic_min" | "atomic_umin" => Intrinsic::AtomicRmw { op: AtomicOp::Min, ty: arg_int(1), ord: ord(1) },
            "atomic_cxchg" | "atomic_cxchgweak" => {
                Intrinsic::AtomicCxchg { ty: arg_int(1), success: ord(1), failure: ord(2), weak: name == "atomic_cxchgweak" }
            }
            "atomic_fence" => Intrinsic::Fence(ord(0)),
            // Compiler fences only order accesses within one thread (for signal handlers).
            "atomic_singlethreadfence" | "compiler_fence" => Intrinsic::Nop,
            "fmaf32" | "fmaf64" | "fma" => Intrinsic::Fma(float()),
            "fmuladdf32" | "fmuladdf64" | "fmuladd" => Intrinsic::MulAdd(float()),
            "powif32" | "powif64" | "powi" => Intrinsic::Powi(float()),
            _ if name.starts_with("simd_") => match self.simd_intrinsic(inst, name, &mut args, &arg_tys, dst_ty) {
                Ok(i) => i,
                Err(NotLowered::Unsupported(msg)) => return self.emit(Inst::Unsupported { msg: msg.into() }),
                Err(NotLowered::Ub(msg)) => return self.emit(Inst::Ub { msg: msg.into() }),
            },
            _ => {
                if let Some(i) = float_intrinsic(name, float_ty(arg_tys.first().copied().unwrap_or(dst_ty)).unwrap_or(FloatTy::F64)) {
                    i
                } else if has_fallback {
                    return self.call_fallback_body(inst, args, dst, ret_size, target, unwind);
                } else {
                    return self.emit(Inst::Unsupported { msg: format!("intrinsic `{name}`").into() });
                }
            }
        };
        self.emit(Inst::Call {
            callee: Callee::Intrinsic(Box::new(intrinsic)),
            args: args.into(),
            dst,
            ret_size,
            target: target.map(Label),
            unwind,
            caller_location: None,
        });
    }

    /// Intrinsics whose value depends only on their type arguments: evaluated by rustc.
    fn const_intrinsic(&mut self, inst: Instance<'tcx>, dst: PlaceId, size: u32, target: Option<u32>) {
        let tcx = self.tcx();
        let ty = inst.args.type_at(0);
        let name = tcx.item_name(inst.def_id());
        let cv = match name.as_str() {
            "size_of" => int_const(layout_of(tcx, ty).size.bytes() as u128, size),
            "align_of" | "min_align_of" | "pref_align_of" => int_const(layout_of(tcx, ty).align.bytes() as u128, size),
            "needs_drop" => int_const(ty.needs_drop(tcx, typing_env()) as u128, size),
            // (This nightly's constant evaluator cannot evaluate `type_name` as an instance.)
            "type_name" => {
                let name = rustc_const_eval::util::type_name(tcx, ty);
                let len = name.len() as u64;
                let alloc_id = tcx.allocate_bytes_dedup(name.into_bytes(), 0);
                let str_ty = Ty::new_static_str(tcx);
                self.lw.const_value(rustc_middle::mir::ConstValue::Slice { alloc_id, meta: len }, str_ty, self.mem)
            }
            _ => match tcx.const_eval_instance(typing_env(), inst, self.cur_span) {
                Ok(v) => {
                    let ret_ty = tcx.fn_sig(inst.def_id()).instantiate(tcx, inst.args).skip_norm_wip().output();
                    let ret_ty = tcx.normalize_erasing_late_bound_regions(typing_env(), ret_ty);
                    self.lw.const_value(v, ret_ty, self.mem)
                }
                Err(_) => return self.emit(Inst::Unsupported { msg: format!("evaluating intrinsic `{name}`").into() }),
            },
        };
        let c = self.add_const(cv);
        self.emit_move(dst, c, size);
        match target {
            Some(t) => self.emit(Inst::Goto { target: Label(t) }),
            None => self.emit(Inst::Unreachable),
        }
    }

    /// A `size`-byte part of an operand at `off`.
    pub(super) fn sub_operand(&mut self, op: Operand, off: u32, size: u32) -> Operand {
        match op {
            Operand::Reg(r) => Operand::Reg(r + off),
            Operand::Place(pid) => {
                let f = self.field_place(pid, off, false);
                self.place_operand(f)
            }
            Operand::Const(c) => {
                let cv = &self.consts[c as usize];
                let bytes: Box<[u8]> = cv.bytes[off as usize..(off + size) as usize].into();
                let prov = cv.prov.iter().filter(|(o, _)| *o >= off && *o < off + size).map(|&(o, a)| (o - off, a)).collect();
                self.add_const(ConstValue { bytes, prov })
            }
        }
    }
}

fn int_const(v: u128, size: u32) -> ConstValue {
    ConstValue { bytes: v.to_le_bytes()[..size as usize].into(), prov: Box::new([]) }
}

fn float_intrinsic(name: &str, ty: FloatTy) -> Option<Intrinsic> {
    // Float intrinsics exist both per width (`sqrtf64`) and generic over the type (`fabs::<T>`).
    let base = name.trim_end_matches("f16").trim_end_matches("f32").trim_end_matches("f64").trim_end_matches("f128").trim_end_matches('_');
    let un = |op| Some(Intrinsic::FloatUn { op, ty });
    let bin = |op| Some(Intrinsic::FloatBin { op, ty });
    match base {
        "sqrt" => un(FloatUnOp::Sqrt),
        "floor" => un(FloatUnOp::Floor),
        "ceil" => un(FloatUnOp::Ceil),
        "trunc" => un(FloatUnOp::Trunc),
        "round" => un(FloatUnOp::Round),
        "round_ties_even" | "rint" | "nearbyint" => un(FloatUnOp::RoundTiesEven),
        "fabs" | "abs" => un(FloatUnOp::Abs),
        "sin" => un(FloatUnOp::Sin),
        "cos" => un(FloatUnOp::Cos),
        "exp" => un(FloatUnOp::Exp),
        "exp2" => un(FloatUnOp::Exp2),
        "log" => un(FloatUnOp::Ln),
        "log10" => un(FloatUnOp::Log10),
        "log2" => un(FloatUnOp::Log2),
        "copysign" => bin(FloatBinOp::Copysign),
        "pow" => bin(FloatBinOp::Pow),
        "minnum" | "minimum_number_nsz" => bin(FloatBinOp::Min),
        "maxnum" | "maximum_number_nsz" => bin(FloatBinOp::Max),
        "minimum" => bin(FloatBinOp::Minimum),
        "maximum" => bin(FloatBinOp::Maximum),
        "fadd_algebraic" => bin(FloatBinOp::Add),
        "fsub_algebraic" => bin(FloatBinOp::Sub),
        "fmul_algebraic" => bin(FloatBinOp::Mul),
        "fdiv_algebraic" => bin(FloatBinOp::Div),
        "frem_algebraic" => bin(FloatBinOp::Rem),
        "fadd_fast" => Some(Intrinsic::FloatFast { op: FloatBinOp::Add, ty }),
        "fsub_fast" => Some(Intrinsic::FloatFast { op: FloatBinOp::Sub, ty }),
        "fmul_fast" => Some(Intrinsic::FloatFast { op: FloatBinOp::Mul, ty }),
        "fdiv_fast" => Some(Intrinsic::FloatFast { op: FloatBinOp::Div, ty }),
        "frem_fast" => Some(Intrinsic::FloatFast { op: FloatBinOp::Rem, ty }),
        _ => None,
    }
}
