//! The portable SIMD intrinsics: lane loops over vectors held as bytes (lane counts and
//! types come from the lowering's `SimdCall`); lanes are read from the call's arguments and
//! the result vector is built in the scratch buffer, with each pointer lane's provenance.

use vigil_ir::{BinOp, CastOp, FloatBinOp, IndexForm, IntTy, LaneTy, ReduceOrder, SimdCall, SimdCastKind, SimdOp, SimdReduce, UnOp};

use crate::arith::{self, sign_extend, truncate};
use crate::error::{Error, Res};
use crate::intrinsics::{float_to_int_checked, int_un, saturating};
use crate::memory::{Prov, Ptr};
use crate::{Loc, Machine};

const INVALID_MASK: &str = "each element of a SIMD mask must be all-0-bits or all-1-bits";

impl Machine<'_> {
    /// Runs one SIMD intrinsic; its result (if any) goes to `dst` (`ret_size` bytes).
    pub(crate) fn simd(&mut self, call: &SimdCall, dst: Loc, ret_size: u32) -> Res<()> {
        let SimdCall { op, lanes, elem } = *call;
        let es = elem.size();
        let sty = elem.scalar();
        self.scratch.clear();
        self.scratch_init.clear();
        self.scratch_prov.clear();
        match op {
            SimdOp::Splat => {
                for _ in 0..lanes {
                    self.push_arg_lane(0, es, 0);
                }
            }
            SimdOp::Extract(form) => {
                let idx = self.lane_index(lanes, form, "simd_extract")?;
                self.push_arg_lane(0, es, idx);
            }
            SimdOp::Insert(form) => {
                let idx = self.lane_index(lanes, form, "simd_insert")?;
                for i in 0..lanes {
                    if i == idx { self.push_arg_lane(2, es, 0) } else { self.push_arg_lane(0, es, i) }
                }
            }
            SimdOp::Neg => {
                for i in 0..lanes {
                    let v = arith::unop(UnOp::Neg, sty, self.lane(0, es, i)?.0)?;
                    self.push_lane(es, v, Prov::NONE);
                }
            }
            SimdOp::FloatUn(fop) => {
                let LaneTy::Float(f) = elem else { return Err(lowering_bug()) };
                for i in 0..lanes {
                    let v = self.float_un(fop, f, self.lane(0, es, i)?.0);
                    self.push_lane(es, v, Prov::NONE);
                }
            }
            SimdOp::IntUn(iop) => {
                let t = int_lane(elem)?;
                for i in 0..lanes {
                    self.push_lane(es, int_un(iop, t, self.lane(0, es, i)?.0), Prov::NONE);
                }
            }
            SimdOp::Bin(bop) => {
                let compare = matches!(bop, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
                let out_size = if compare { ret_size / lanes } else { es };
                for i in 0..lanes {
                    let (a, b) = (self.lane(0, es, i)?, self.lane(1, es, i)?);
                    if let (BinOp::ShlUnchecked | BinOp::ShrUnchecked, LaneTy::Int(t)) = (bop, elem) {
                        let amount = if t.signed { sign_extend(b.0, t.bits()) } else { b.0 as i128 };
                        if amount < 0 || amount >= t.bits() as i128 {
                            let name = if bop == BinOp::ShlUnchecked { "simd_shl" } else { "simd_shr" };
                            return Err(Error::ub(format!("overflowing shift by {amount} in `{name}` in lane {i}")));
                        }
                    }
                    let r = match elem {
                        LaneTy::Float(f) => self.float_binop(bop, f, a.0, b.0)?.val,
                        _ => arith::binop(bop, sty, sty, a, b)?.val,
                    };
                    let v = if compare { if r != 0 { u128::MAX } else { 0 } } else { r };
                    self.push_lane(out_size, v, Prov::NONE);
                }
            }
            SimdOp::FloatBin(fop) => {
                let LaneTy::Float(f) = elem else { return Err(lowering_bug()) };
                for i in 0..lanes {
                    let (a, b) = (self.lane(0, es, i)?.0, self.lane(1, es, i)?.0);
                    let v = self.float_bin(fop, f, a, b);
                    self.push_lane(es, v, Prov::NONE);
                }
            }
            SimdOp::Saturating(bop) => {
                let t = int_lane(elem)?;
                for i in 0..lanes {
                    let v = saturating(bop, t, self.lane(0, es, i)?.0, self.lane(1, es, i)?.0);
                    self.push_lane(es, v, Prov::NONE);
                }
            }
            SimdOp::FunnelShl | SimdOp::FunnelShr => {
                let bits = int_lane(elem)?.bits();
                for i in 0..lanes {
                    let (a, b, s) = (self.lane(0, es, i)?.0, self.lane(1, es, i)?.0, self.lane(2, es, i)?.0);
                    if s >= bits as u128 {
                        let name = if op == SimdOp::FunnelShl { "simd_funnel_shl" } else { "simd_funnel_shr" };
                        return Err(Error::ub(format!("overflowing shift by {s} in `{name}` in lane {i}")));
                    }
                    // `a` is the high half of the double-width value, `b` the low half.
                    let (s, inv) = (s as u32, bits - s as u32);
                    let shl = |v: u128, n: u32| v.checked_shl(n).unwrap_or(0);
                    let shr = |v: u128, n: u32| v.checked_shr(n).unwrap_or(0);
                    let v = if op == SimdOp::FunnelShl { shl(a, s) | shr(b, inv) } else { shl(a, inv) | shr(b, s) };
                    self.push_lane(es, truncate(v, bits), Prov::NONE);
                }
            }
            SimdOp::CarrylessMul => {
                let bits = int_lane(elem)?.bits();
                for i in 0..lanes {
                    let (a, b) = (self.lane(0, es, i)?.0, self.lane(1, es, i)?.0);
                    let v = (0..bits).filter(|k| (b >> k) & 1 == 1).fold(0u128, |acc, k| acc ^ (a << k));
                    self.push_lane(es, truncate(v, bits), Prov::NONE);
                }
            }
            SimdOp::Fma | SimdOp::RelaxedFma => {
                let LaneTy::Float(f) = elem else { return Err(lowering_bug()) };
                for i in 0..lanes {
                    let fused = op == SimdOp::Fma || self.float_coin();
                    let (a, b, c) = (self.lane(0, es, i)?.0, self.lane(1, es, i)?.0, self.lane(2, es, i)?.0);
                    let v = self.mul_add(f, fused, a, b, c);
                    self.push_lane(es, v, Prov::NONE);
                }
            }
            SimdOp::ArithOffset { elem_size } => {
                for i in 0..lanes {
                    let (p, prov) = self.lane(0, 8, i)?;
                    let delta = (self.lane(1, 8, i)?.0 as u64).wrapping_mul(elem_size as u64);
                    self.push_lane(8, (p as u64).wrapping_add(delta) as u128, prov);
                }
            }
            SimdOp::Reduce(r) => {
                let v = self.simd_reduce(r, lanes, elem)?;
                return self.write_loc_scalar(dst, ret_size as u64, v, Prov::NONE);
            }
            SimdOp::Select { mask } => {
                for i in 0..lanes {
                    // Both candidates are read as values, as the reference interpreter does.
                    self.lane(1, es, i)?;
                    let pick = if self.mask_lane(0, mask, i)? { 1 } else { 2 };
                    self.push_value_lane(pick, es, i)?;
                }
            }
            SimdOp::SelectBitmask => {
                // An integer or a byte array: either way little-endian bits, lane 0 in bit 0.
                let bits = self.scalar_arg(0)?.0;
                for i in 0..lanes {
                    self.lane(1, es, i)?;
                    let pick = if (bits >> i) & 1 == 1 { 1 } else { 2 };
                    self.push_value_lane(pick, es, i)?;
                }
            }
            SimdOp::Bitmask => {
                let t = int_lane(elem)?;
                let mut bits = 0u64;
                for i in 0..lanes {
                    if self.mask_lane(0, t, i)? {
                        bits |= 1 << i;
                    }
                }
                return self.write_loc_scalar(dst, ret_size as u64, bits as u128, Prov::NONE);
            }
            SimdOp::Shuffle => {
                let len = self.arg_ranges[2].1;
                for k in 0..len / 4 {
                    let idx = self.lane(2, 4, k)?.0 as u32;
                    if idx < lanes {
                        self.push_value_lane(0, es, idx)?;
                    } else if idx - lanes < lanes {
                        self.push_value_lane(1, es, idx - lanes)?;
                    } else {
                        return Err(Error::ub(format!(
                            "`simd_shuffle` index {idx} is out-of-bounds for 2 vectors with length {}",
                            len / 4
                        )));
                    }
                }
            }
            SimdOp::Cast { kind, to } => {
                for i in 0..lanes {
                    let (v, prov) = self.lane(0, es, i)?;
                    let (r, rprov) = self.simd_cast_lane(kind, elem, to, v, prov)?;
                    self.push_lane(to.size(), r, rprov);
                }
            }
            SimdOp::Gather { mask } => {
                for i in 0..lanes {
                    if self.mask_lane(2, mask, i)? {
                        let (a, prov) = self.lane(1, 8, i)?;
                        let p = Ptr { addr: a as u64, prov };
                        self.check_align(p, es as u64)?;
                        self.read_lane(p, es)?;
                    } else {
                        self.push_value_lane(0, es, i)?;
                    }
                }
            }
            SimdOp::Scatter { mask } => {
                for i in 0..lanes {
                    if self.mask_lane(2, mask, i)? {
                        let (a, prov) = self.lane(1, 8, i)?;
                        let p = Ptr { addr: a as u64, prov };
                        self.check_align(p, es as u64)?;
                        self.write_lane(p, 0, es, i)?;
                    }
                }
                return Ok(());
            }
            SimdOp::MaskedLoad { mask, align } => {
                let (a, prov) = self.scalar_arg(1)?;
                let base = Ptr { addr: a as u64, prov };
                self.check_vector_align(base, align)?;
                for i in 0..lanes {
                    if self.mask_lane(0, mask, i)? {
                        self.read_lane(wrapping_offset(base, i as u64 * es as u64), es)?;
                    } else {
                        self.push_value_lane(2, es, i)?;
                    }
                }
            }
            SimdOp::MaskedStore { mask, align } => {
                let (a, prov) = self.scalar_arg(1)?;
                let base = Ptr { addr: a as u64, prov };
                self.check_vector_align(base, align)?;
                for i in 0..lanes {
                    if self.mask_lane(0, mask, i)? {
                        self.write_lane(wrapping_offset(base, i as u64 * es as u64), 2, es, i)?;
                    }
                }
                return Ok(());
            }
        }
        self.store_scratch(dst)
    }

    /// Lane `i` of argument `arg` (lanes of `size` bytes), used as a value: its bits and
    /// provenance (its bytes must be initialized; padding between lanes need not be).
    fn lane(&self, arg: usize, size: u32, i: u32) -> Res<(u128, Prov)> {
        let s = self.arg_ranges[arg].0 as usize + (i * size) as usize;
        if !crate::memory::all_init(&self.args_init[s..s + size as usize]) {
            return Err(Error::ub(crate::memory::UNINIT));
        }
        let mut buf = [0u8; 16];
        buf[..size as usize].copy_from_slice(&self.args[s..s + size as usize]);
        let prov = if size >= 8 { crate::prov_map::whole_at(&self.args_prov, s as u64) } else { Prov::NONE };
        Ok((u128::from_le_bytes(buf), prov))
    }

    /// Argument `i` (a scalar) used as a value: all its bytes must be initialized.
    fn scalar_arg(&self, i: usize) -> Res<(u128, Prov)> {
        let (start, size) = self.arg_ranges[i];
        if !crate::memory::all_init(&self.args_init[start as usize..(start + size) as usize]) {
            return Err(Error::ub(crate::memory::UNINIT));
        }
        Ok(self.arg_scalar(i))
    }

    /// Appends lane `i` of argument `arg` to the result as it is (bytes, initialization and
    /// provenance).
    fn push_arg_lane(&mut self, arg: usize, size: u32, i: u32) {
        let s = self.arg_ranges[arg].0 as usize + (i * size) as usize;
        let e = s + size as usize;
        let out = self.scratch.len() as u64;
        self.scratch.extend_from_slice(&self.args[s..e]);
        self.scratch_init.extend_from_slice(&self.args_init[s..e]);
        crate::prov_map::slice_into(&self.args_prov, s as u64, e as u64, &mut self.scratch_prov, out);
    }

    /// Appends lane `i` of argument `arg`, used as a value (so it must be initialized).
    fn push_value_lane(&mut self, arg: usize, size: u32, i: u32) -> Res<()> {
        self.lane(arg, size, i)?;
        self.push_arg_lane(arg, size, i);
        Ok(())
    }

    /// Appends a computed lane of `size` bytes to the result.
    fn push_lane(&mut self, size: u32, v: u128, prov: Prov) {
        if prov.is_some() {
            self.scratch_prov.push((self.scratch.len() as u64, crate::prov_map::ProvPart::whole(prov)));
        }
        self.scratch.extend_from_slice(&v.to_le_bytes()[..size as usize]);
        self.scratch_init.resize(self.scratch.len(), 1);
    }

    /// Lane `i` of mask argument `arg` as a bool: it must be 0 or all ones.
    fn mask_lane(&self, arg: usize, t: IntTy, i: u32) -> Res<bool> {
        match sign_extend(self.lane(arg, t.size as u32, i)?.0, t.bits()) {
            0 => Ok(false),
            -1 => Ok(true),
            _ => Err(Error::ub(INVALID_MASK)),
        }
    }

    /// The lane index argument (1) of `simd_extract`/`simd_insert`, checked against `lanes`.
    fn lane_index(&self, lanes: u32, form: IndexForm, name: &str) -> Res<u32> {
        let idx = self.scalar_arg(1)?.0 as u32;
        if idx >= lanes {
            let suffix = if form == IndexForm::Dyn { "_dyn" } else { "" };
            return Err(Error::ub(format!("`{name}{suffix}` index {idx} is out-of-bounds of vector with length {lanes}")));
        }
        Ok(idx)
    }

    /// Reads a lane of `size` bytes at `p` (a checked access) and appends it to the result.
    fn read_lane(&mut self, p: Ptr, size: u32) -> Res<()> {
        let out = self.scratch.len();
        self.mem.read_into(p, size as u64, &mut self.scratch, &mut self.scratch_init, &mut self.scratch_prov, out as u64)?;
        if !crate::memory::all_init(&self.scratch_init[out..]) {
            return Err(Error::ub(crate::memory::UNINIT));
        }
        Ok(())
    }

    /// Writes lane `i` of argument `arg` (with its provenance) at `p`, a checked access.
    fn write_lane(&mut self, p: Ptr, arg: usize, size: u32, i: u32) -> Res<()> {
        let s = self.arg_ranges[arg].0 as usize + (i * size) as usize;
        let e = s + size as usize;
        let mut prov = Vec::new();
        crate::prov_map::slice_into(&self.args_prov, s as u64, e as u64, &mut prov, 0);
        self.mem.write(p, &self.args[s..e], &prov)
    }

    /// The alignment a masked load or store asks of its pointer.
    fn check_vector_align(&self, p: Ptr, align: u32) -> Res<()> {
        let have = self.ptr_align(p);
        if have < align as u64 {
            return Err(Error::ub(format!("accessing memory with alignment {have}, but alignment {align} is required")));
        }
        Ok(())
    }

    /// One lane of a cast: its value and provenance in the target lane type.
    fn simd_cast_lane(&mut self, kind: SimdCastKind, from: LaneTy, to: LaneTy, v: u128, prov: Prov) -> Res<(u128, Prov)> {
        let numeric = |op| Ok((arith::cast(op, v), Prov::NONE));
        match (kind, from, to) {
            (SimdCastKind::Ptr, _, _) => Ok((v, prov)),
            (SimdCastKind::ExposeProvenance, _, LaneTy::Int(t)) => {
                self.mem.expose(prov);
                Ok((truncate(v, t.bits()), Prov::NONE))
            }
            (SimdCastKind::WithExposedProvenance, LaneTy::Int(t), _) => {
                if self.config.strict_provenance {
                    return Err(Error::unsupported(
                        "integer-to-pointer casts and `ptr::with_exposed_provenance` are not supported with `-Zvigil-strict-provenance`",
                    ));
                }
                let addr = arith::cast(CastOp::IntToInt { from: t, to: IntTy::USIZE }, v);
                Ok((addr, self.mem.alloc_at_addr(addr as u64)))
            }
            (_, LaneTy::Int(from), LaneTy::Int(to)) => numeric(CastOp::IntToInt { from, to }),
            (_, LaneTy::Int(from), LaneTy::Float(to)) => numeric(CastOp::IntToFloat { from, to }),
            (_, LaneTy::Float(from), LaneTy::Float(to)) => Ok((self.float_convert(from, to, v), Prov::NONE)),
            (SimdCastKind::Unchecked, LaneTy::Float(from), LaneTy::Int(to)) => {
                Ok((float_to_int_checked(from, to, v, "simd_cast")?, Prov::NONE))
            }
            (_, LaneTy::Float(from), LaneTy::Int(to)) => numeric(CastOp::FloatToInt { from, to }),
            _ => Err(lowering_bug()),
        }
    }

    /// A `simd_reduce_*` fold over the lanes of argument 0.
    fn simd_reduce(&mut self, r: SimdReduce, lanes: u32, elem: LaneTy) -> Res<u128> {
        let (es, sty) = (elem.size(), elem.scalar());
        if let LaneTy::Float(f) = elem {
            // Float folds choose NaNs (and equal `min`/`max` operands) step by step.
            let step: Option<(u128, u32, FloatFold)> = match r {
                SimdReduce::Add(order) | SimdReduce::Mul(order) => {
                    let op = if matches!(r, SimdReduce::Add(_)) { BinOp::Add } else { BinOp::Mul };
                    match order {
                        ReduceOrder::Ordered => Some((self.scalar_arg(1)?.0, 0, FloatFold::Arith(op))),
                        ReduceOrder::Unordered => Some((self.lane(0, es, 0)?.0, 1, FloatFold::Arith(op))),
                    }
                }
                SimdReduce::Min => Some((self.lane(0, es, 0)?.0, 1, FloatFold::MinMax(FloatBinOp::Min))),
                SimdReduce::Max => Some((self.lane(0, es, 0)?.0, 1, FloatFold::MinMax(FloatBinOp::Max))),
                _ => None,
            };
            if let Some((mut acc, from, fold)) = step {
                for i in from..lanes {
                    let v = self.lane(0, es, i)?.0;
                    acc = match fold {
                        FloatFold::Arith(op) => self.float_binop(op, f, acc, v)?.val,
                        FloatFold::MinMax(op) => self.float_bin(op, f, acc, v),
                    };
                }
                return Ok(acc);
            }
        }
        let lane = |i| Ok::<_, Error>(self.lane(0, es, i)?.0);
        let fold = |init: u128, from: u32, f: &dyn Fn(u128, u128) -> Res<u128>| (from..lanes).try_fold(init, |acc, i| f(acc, lane(i)?));
        let bin = |op| move |a: u128, b: u128| Ok(arith::binop(op, sty, sty, (a, Prov::NONE), (b, Prov::NONE))?.val);
        match r {
            SimdReduce::Add(order) | SimdReduce::Mul(order) => {
                let op = if matches!(r, SimdReduce::Add(_)) { BinOp::Add } else { BinOp::Mul };
                match order {
                    ReduceOrder::Ordered => fold(self.scalar_arg(1)?.0, 0, &bin(op)),
                    ReduceOrder::Unordered => fold(lane(0)?, 1, &bin(op)),
                }
            }
            SimdReduce::Min | SimdReduce::Max => {
                let keep = if r == SimdReduce::Max { BinOp::Ge } else { BinOp::Le };
                fold(lane(0)?, 1, &|a, b| Ok(if bin(keep)(a, b)? != 0 { a } else { b }))
            }
            SimdReduce::And => fold(lane(0)?, 1, &bin(BinOp::BitAnd)),
            SimdReduce::Or => fold(lane(0)?, 1, &bin(BinOp::BitOr)),
            SimdReduce::Xor => fold(lane(0)?, 1, &bin(BinOp::BitXor)),
            SimdReduce::Any | SimdReduce::All => {
                let t = int_lane(elem)?;
                let all = r == SimdReduce::All;
                // Every lane is checked, as the fold reads them all.
                let mut acc = all;
                for i in 0..lanes {
                    let b = self.mask_lane(0, t, i)?;
                    acc = if all { acc && b } else { acc || b };
                }
                Ok(acc as u128)
            }
        }
    }
}

fn wrapping_offset(p: Ptr, bytes: u64) -> Ptr {
    Ptr { addr: p.addr.wrapping_add(bytes), prov: p.prov }
}

fn int_lane(elem: LaneTy) -> Res<IntTy> {
    match elem {
        LaneTy::Int(t) => Ok(t),
        _ => Err(lowering_bug()),
    }
}

fn lowering_bug() -> Error {
    Error::unsupported("SIMD operation on these lane types (lowering bug)")
}

/// One step of a float `simd_reduce_*` fold.
#[derive(Clone, Copy)]
enum FloatFold {
    Arith(BinOp),
    MinMax(FloatBinOp),
}
