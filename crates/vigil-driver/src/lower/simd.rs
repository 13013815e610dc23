//! Lowering of the portable SIMD intrinsics (`simd_*`): each call's lane count and lane
//! types are decided here, once; the machine runs the lane loop (`vigil_machine::simd`).

use rustc_middle::ty::{self, Instance, Ty};
use vigil_ir::{
    BinOp, ConstValue, FloatBinOp, FloatUnOp, IndexForm, IntTy, IntUnOp, Intrinsic, LaneTy, Operand, ReduceOrder, SimdCall, SimdCastKind,
    SimdOp, SimdReduce,
};

use super::body::FnLower;
use super::types::{float_ty, int_ty, is_thin_ptr, layout_of, size_of};

/// Why a SIMD call does not become a machine intrinsic.
pub(super) enum NotLowered {
    /// Not an operation (or not on types) the machine implements: the message says which.
    Unsupported(String),
    /// Undefined behavior the lowering already sees (constant shuffle indices out of bounds).
    Ub(String),
}

impl<'a, 'tcx> FnLower<'a, 'tcx> {
    /// The machine intrinsic for SIMD intrinsic `name`; may append operands to `args`
    /// (constant shuffle indices given as a generic argument).
    pub(super) fn simd_intrinsic(
        &mut self,
        inst: Instance<'tcx>,
        name: &str,
        args: &mut Vec<(Operand, u32)>,
        arg_tys: &[Ty<'tcx>],
        dst_ty: Ty<'tcx>,
    ) -> Result<Intrinsic, NotLowered> {
        let tcx = self.tcx();
        let unsupported = || NotLowered::Unsupported(format!("SIMD intrinsic `{name}` (on these types)"));
        // The main vector: the result for `simd_splat`, else the first vector argument.
        let vec_ty = match name {
            "simd_splat" => dst_ty,
            "simd_select" | "simd_select_bitmask" | "simd_masked_load" | "simd_masked_store" => *arg_tys.get(2).ok_or_else(unsupported)?,
            _ => *arg_tys.first().ok_or_else(unsupported)?,
        };
        let (lanes, elem_ty) = simd_lanes(tcx, vec_ty).ok_or_else(unsupported)?;
        let elem = lane_ty(tcx, elem_ty)
            .ok_or_else(|| NotLowered::Unsupported(format!("SIMD intrinsic `{name}` on lanes of type `{elem_ty}`")))?;
        let unsupported = || NotLowered::Unsupported(format!("SIMD intrinsic `{name}` on `{vec_ty}` (these lane or argument types)"));
        let int_elem = || match elem {
            LaneTy::Int(t) => Some(t),
            _ => None,
        };
        let float_elem = matches!(elem, LaneTy::Float(_));
        // The integer lanes of the mask vector argument `i`.
        let mask_of = |i: usize| -> Option<IntTy> {
            let (n, t) = simd_lanes(tcx, *arg_tys.get(i)?)?;
            if n != lanes {
                return None;
            }
            int_ty(tcx, t).filter(|_| matches!(t.kind(), ty::Int(_) | ty::Uint(_)))
        };
        let fun = |op: FloatUnOp| if float_elem { Some(SimdOp::FloatUn(op)) } else { None };
        let iun = |op: IntUnOp| int_elem().map(|_| SimdOp::IntUn(op));
        let ibin = |op: BinOp| int_elem().map(|_| SimdOp::Bin(op));
        let arith = |op: BinOp| if matches!(elem, LaneTy::Ptr) { None } else { Some(SimdOp::Bin(op)) };
        let reduce = |r: SimdReduce| if elem == LaneTy::Ptr { None } else { Some(SimdOp::Reduce(r)) };
        let op = match name {
            "simd_splat" => Some(SimdOp::Splat),
            "simd_extract" => Some(SimdOp::Extract(IndexForm::Const)),
            "simd_extract_dyn" => Some(SimdOp::Extract(IndexForm::Dyn)),
            "simd_insert" => Some(SimdOp::Insert(IndexForm::Const)),
            "simd_insert_dyn" => Some(SimdOp::Insert(IndexForm::Dyn)),
            "simd_neg" if elem != LaneTy::Ptr => Some(SimdOp::Neg),
            "simd_fabs" => fun(FloatUnOp::Abs),
            "simd_fsqrt" => fun(FloatUnOp::Sqrt),
            "simd_ceil" => fun(FloatUnOp::Ceil),
            "simd_floor" => fun(FloatUnOp::Floor),
            "simd_round" => fun(FloatUnOp::Round),
            "simd_round_ties_even" => fun(FloatUnOp::RoundTiesEven),
            "simd_trunc" => fun(FloatUnOp::Trunc),
            "simd_fsin" => fun(FloatUnOp::Sin),
            "simd_fcos" => fun(FloatUnOp::Cos),
            "simd_fexp" => fun(FloatUnOp::Exp),
            "simd_fexp2" => fun(FloatUnOp::Exp2),
            "simd_flog" => fun(FloatUnOp::Ln),
            "simd_flog2" => fun(FloatUnOp::Log2),
            "simd_flog10" => fun(FloatUnOp::Log10),
            "simd_ctpop" => iun(IntUnOp::Ctpop),
            "simd_ctlz" => iun(IntUnOp::Ctlz),
            "simd_cttz" => iun(IntUnOp::Cttz),
            "simd_bswap" => iun(IntUnOp::Bswap),
            "simd_bitreverse" => iun(IntUnOp::Bitreverse),
            "simd_add" => arith(BinOp::Add),
            "simd_sub" => arith(BinOp::Sub),
            "simd_mul" => arith(BinOp::Mul),
            "simd_div" => arith(BinOp::Div),
            "simd_rem" => arith(BinOp::Rem),
            "simd_shl" => ibin(BinOp::ShlUnchecked),
            "simd_shr" => ibin(BinOp::ShrUnchecked),
            "simd_and" => ibin(BinOp::BitAnd),
            "simd_or" => ibin(BinOp::BitOr),
            "simd_xor" => ibin(BinOp::BitXor),
            "simd_eq" | "simd_ne" | "simd_lt" | "simd_le" | "simd_gt" | "simd_ge" => {
                let op = match name {
                    "simd_eq" => BinOp::Eq,
                    "simd_ne" => BinOp::Ne,
                    "simd_lt" => BinOp::Lt,
                    "simd_le" => BinOp::Le,
                    "simd_gt" => BinOp::Gt,
                    _ => BinOp::Ge,
                };
                // The result: a mask vector of as many lanes.
                simd_lanes(tcx, dst_ty).filter(|&(n, t)| n == lanes && int_ty(tcx, t).is_some()).and_then(|_| arith(op))
            }
            "simd_minimum_number_nsz" if float_elem => Some(SimdOp::FloatBin(FloatBinOp::Min)),
            "simd_maximum_number_nsz" if float_elem => Some(SimdOp::FloatBin(FloatBinOp::Max)),
            "simd_saturating_add" => int_elem().map(|_| SimdOp::Saturating(BinOp::Add)),
            "simd_saturating_sub" => int_elem().map(|_| SimdOp::Saturating(BinOp::Sub)),
            "simd_funnel_shl" => int_elem().map(|_| SimdOp::FunnelShl),
            "simd_funnel_shr" => int_elem().map(|_| SimdOp::FunnelShr),
            "simd_carryless_mul" => int_elem().map(|_| SimdOp::CarrylessMul),
            "simd_fma" if float_elem => Some(SimdOp::Fma),
            "simd_relaxed_fma" if float_elem => Some(SimdOp::RelaxedFma),
            "simd_arith_offset" if elem == LaneTy::Ptr => {
                let pointee = elem_ty.builtin_deref(true).ok_or_else(unsupported)?;
                Some(SimdOp::ArithOffset { elem_size: size_of(tcx, pointee) })
            }
            "simd_reduce_add_ordered" => reduce(SimdReduce::Add(ReduceOrder::Ordered)),
            "simd_reduce_add_unordered" => reduce(SimdReduce::Add(ReduceOrder::Unordered)),
            "simd_reduce_mul_ordered" => reduce(SimdReduce::Mul(ReduceOrder::Ordered)),
            "simd_reduce_mul_unordered" => reduce(SimdReduce::Mul(ReduceOrder::Unordered)),
            "simd_reduce_min" => reduce(SimdReduce::Min),
            "simd_reduce_max" => reduce(SimdReduce::Max),
            "simd_reduce_and" => int_elem().and_then(|_| reduce(SimdReduce::And)),
            "simd_reduce_or" => int_elem().and_then(|_| reduce(SimdReduce::Or)),
            "simd_reduce_xor" => int_elem().and_then(|_| reduce(SimdReduce::Xor)),
            "simd_reduce_any" => int_elem().and_then(|_| reduce(SimdReduce::Any)),
            "simd_reduce_all" => int_elem().and_then(|_| reduce(SimdReduce::All)),
            "simd_select" => mask_of(0).map(|mask| SimdOp::Select { mask }),
            "simd_select_bitmask" | "simd_bitmask" => {
                if lanes.next_multiple_of(8) > 64 {
                    return Err(NotLowered::Unsupported(format!("{name}: vectors larger than 64 elements are currently not supported")));
                }
                if name == "simd_bitmask" { int_elem().map(|_| SimdOp::Bitmask) } else { Some(SimdOp::SelectBitmask) }
            }
            "simd_shuffle" => Some(SimdOp::Shuffle),
            "simd_shuffle_const_generic" => {
                // The indices are a generic argument: passed on as a constant third operand.
                let idx: Vec<u32> = inst.args.const_at(2).to_value().to_branch().iter().map(|c| c.to_value().to_leaf().to_u32()).collect();
                if let Some(&bad) = idx.iter().find(|&&i| i >= 2 * lanes) {
                    return Err(NotLowered::Ub(format!(
                        "`simd_shuffle_const_generic` index {bad} is out-of-bounds for 2 vectors with length {}",
                        idx.len()
                    )));
                }
                let bytes: Box<[u8]> = idx.iter().flat_map(|i| i.to_le_bytes()).collect();
                let size = bytes.len() as u32;
                let c = self.add_const(ConstValue { bytes, prov: Box::new([]) });
                args.push((c, size));
                Some(SimdOp::Shuffle)
            }
            "simd_cast" | "simd_as" | "simd_cast_ptr" | "simd_expose_provenance" | "simd_with_exposed_provenance" => {
                let (n, to_ty) = simd_lanes(tcx, dst_ty).ok_or_else(unsupported)?;
                let to = lane_ty(tcx, to_ty).filter(|_| n == lanes).ok_or_else(unsupported)?;
                let numeric = |t: LaneTy| !matches!(t, LaneTy::Ptr);
                let kind = match name {
                    "simd_cast" if numeric(elem) && numeric(to) => SimdCastKind::Unchecked,
                    "simd_as" if numeric(elem) && numeric(to) => SimdCastKind::Saturating,
                    "simd_cast_ptr" if elem == LaneTy::Ptr && to == LaneTy::Ptr => SimdCastKind::Ptr,
                    "simd_expose_provenance" if elem == LaneTy::Ptr && matches!(to, LaneTy::Int(_)) => SimdCastKind::ExposeProvenance,
                    "simd_with_exposed_provenance" if matches!(elem, LaneTy::Int(_)) && to == LaneTy::Ptr => {
                        SimdCastKind::WithExposedProvenance
                    }
                    _ => {
                        return Err(NotLowered::Unsupported(format!("`{name}` from element type {elem_ty} to {to_ty}")));
                    }
                };
                Some(SimdOp::Cast { kind, to })
            }
            "simd_gather" | "simd_scatter" => {
                // The pointers (argument 1) must be a vector of as many thin pointers.
                let ptrs = simd_lanes(tcx, *arg_tys.get(1).ok_or_else(unsupported)?);
                let ptrs_ok = ptrs.is_some_and(|(n, t)| n == lanes && lane_ty(tcx, t) == Some(LaneTy::Ptr));
                match mask_of(2) {
                    Some(mask) if ptrs_ok && name == "simd_gather" => Some(SimdOp::Gather { mask }),
                    Some(mask) if ptrs_ok => Some(SimdOp::Scatter { mask }),
                    _ => None,
                }
            }
            "simd_masked_load" | "simd_masked_store" => {
                use rustc_middle::ty::SimdAlign as A;
                let mode = inst.args.const_at(3).to_value().to_branch()[0].to_value().to_leaf().to_simd_alignment();
                let align = match mode {
                    A::Unaligned => 1,
                    A::Element => layout_of(tcx, elem_ty).align.bytes() as u32,
                    A::Vector => layout_of(tcx, vec_ty).align.bytes() as u32,
                };
                match mask_of(0) {
                    Some(mask) if name == "simd_masked_load" => Some(SimdOp::MaskedLoad { mask, align }),
                    Some(mask) => Some(SimdOp::MaskedStore { mask, align }),
                    None => None,
                }
            }
            _ => None,
        };
        let op = op.ok_or_else(unsupported)?;
        Ok(Intrinsic::Simd(Box::new(SimdCall { op, lanes, elem })))
    }
}

/// A `repr(simd)` type's lane count and lane type.
fn simd_lanes<'tcx>(tcx: ty::TyCtxt<'tcx>, t: Ty<'tcx>) -> Option<(u32, Ty<'tcx>)> {
    if !t.is_simd() {
        return None;
    }
    let (n, elem) = t.simd_size_and_type(tcx);
    Some((u32::try_from(n).ok()?, elem))
}

/// The machine's description of a lane type (integers, f32/f64 and thin raw pointers).
fn lane_ty<'tcx>(tcx: ty::TyCtxt<'tcx>, t: Ty<'tcx>) -> Option<LaneTy> {
    match t.kind() {
        ty::Int(_) | ty::Uint(_) => int_ty(tcx, t).map(LaneTy::Int),
        ty::Float(_) => float_ty(t).map(LaneTy::Float),
        ty::RawPtr(..) if is_thin_ptr(tcx, t) => Some(LaneTy::Ptr),
        _ => None,
    }
}
