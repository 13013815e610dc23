//! Intrinsics the machine implements (the frontend already folded the constant ones).

use vigil_ir::{DynLayout, FloatBinOp, FloatTy, FloatUnOp, IntTy, Intrinsic, SimdOp, Unwind};

use crate::arith::{sign_extend, truncate};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};
use crate::{Loc, Machine};

impl Machine<'_> {
    pub(crate) fn call_intrinsic(&mut self, i: &Intrinsic, dst: Loc, ret_size: u32, target: Option<u32>, unwind: Unwind) -> Res<()> {
        let _ = unwind;
        // Arguments are used as values, except for the ones that only move their bytes.
        if !matches!(i, Intrinsic::Store { .. } | Intrinsic::WriteViaMove { .. } | Intrinsic::Identity { .. } | Intrinsic::CatchUnwind) {
            self.check_args_init()?;
        }
        let ret = |m: &mut Self, v: u128| m.write_loc_scalar(dst, ret_size as u64, v, Prov::NONE);
        match *i {
            Intrinsic::CopyNonOverlapping { elem_size } | Intrinsic::Copy { elem_size } => {
                let (src, dstp, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                let bytes = n.checked_mul(elem_size).ok_or_else(|| Error::ub("copy size overflows"))?;
                if let Intrinsic::CopyNonOverlapping { .. } = i
                    && src.prov.alloc == dstp.prov.alloc
                    && bytes > 0
                    && src.addr < dstp.addr + bytes
                    && dstp.addr < src.addr + bytes
                {
                    return Err(Error::ub("`copy_nonoverlapping` called on overlapping ranges"));
                }
                self.copy_loc(Loc::Mem(src), Loc::Mem(dstp), bytes)?;
            }
            Intrinsic::WriteBytes { elem_size } => {
                let (p, byte, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                let bytes = n.checked_mul(elem_size).ok_or_else(|| Error::ub("write_bytes size overflows"))?;
                let buf = vec![byte; bytes as usize];
                self.mem.write(p, &buf, &[])?;
            }
            Intrinsic::Load { size } | Intrinsic::ReadViaCopy { size } => {
                let p = self.arg_ptr(0);
                self.load_loc(Loc::Mem(p), size as u64)?;
                self.store_scratch(dst)?;
            }
            Intrinsic::Store { size } | Intrinsic::WriteViaMove { size } => {
                let p = self.arg_ptr(0);
                self.arg_to_scratch(1, 0, size);
                self.store_scratch(Loc::Mem(p))?;
            }
            Intrinsic::SizeOfVal(l) | Intrinsic::AlignOfVal(l) => {
                let (size, align) = self.dyn_size_align(l, 0)?;
                ret(self, if matches!(i, Intrinsic::SizeOfVal(_)) { size } else { align } as u128)?;
            }
            Intrinsic::Ctpop(t) => ret(self, truncate(self.arg_scalar(0).0, t.bits()).count_ones() as u128)?,
            Intrinsic::Ctlz(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                ret(self, (v.leading_zeros() - (128 - t.bits())) as u128)?
            }
            Intrinsic::CtlzNonzero(t) | Intrinsic::CttzNonzero(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                let lz = matches!(i, Intrinsic::CtlzNonzero(_));
                if v == 0 {
                    return Err(Error::ub(format!("`{}` called on 0", if lz { "ctlz_nonzero" } else { "cttz_nonzero" })));
                }
                ret(self, if lz { v.leading_zeros() - (128 - t.bits()) } else { v.trailing_zeros() } as u128)?
            }
            Intrinsic::Cttz(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                ret(self, if v == 0 { t.bits() } else { v.trailing_zeros() } as u128)?
            }
            Intrinsic::Bswap(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                ret(self, v.swap_bytes() >> (128 - t.bits()))?
            }
            Intrinsic::Bitreverse(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                ret(self, v.reverse_bits() >> (128 - t.bits()))?
            }
            Intrinsic::RotateLeft(t) | Intrinsic::RotateRight(t) => {
                let bits = t.bits();
                let v = truncate(self.arg_scalar(0).0, bits);
                let mut s = (self.arg_scalar(1).0 % bits as u128) as u32;
                if matches!(i, Intrinsic::RotateRight(_)) {
                    s = (bits - s) % bits;
                }
                let r = if s == 0 { v } else { truncate((v << s) | (v >> (bits - s)), bits) };
                ret(self, r)?
            }
            Intrinsic::ExactDiv(t) | Intrinsic::UncheckedDiv(t) | Intrinsic::UncheckedRem(t) => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                let op = if matches!(i, Intrinsic::UncheckedRem(_)) { vigil_ir::BinOp::Rem } else { vigil_ir::BinOp::Div };
                let q = crate::arith::binop(op, vigil_ir::ScalarTy::Int(t), vigil_ir::ScalarTy::Int(t), (a, Prov::NONE), (b, Prov::NONE))?;
                if let Intrinsic::ExactDiv(_) = i {
                    let r = crate::arith::binop(
                        vigil_ir::BinOp::Rem,
                        vigil_ir::ScalarTy::Int(t),
                        vigil_ir::ScalarTy::Int(t),
                        (a, Prov::NONE),
                        (b, Prov::NONE),
                    )?;
                    if r.val != 0 {
                        return Err(Error::ub(format!(
                            "exact_div: {} cannot be divided by {} without remainder",
                            fmt_int(a, t),
                            fmt_int(b, t)
                        )));
                    }
                }
                ret(self, q.val)?
            }
            Intrinsic::SaturatingAdd(t) | Intrinsic::SaturatingSub(t) => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                let add = matches!(i, Intrinsic::SaturatingAdd(_));
                let r = if t.signed {
                    let (x, y) = (sign_extend(a, t.bits()), sign_extend(b, t.bits()));
                    let (min, max) = (-(1i128 << (t.bits() - 1)), (1i128 << (t.bits() - 1)) - 1);
                    let v = if add { x.saturating_add(y) } else { x.saturating_sub(y) };
                    truncate(v.clamp(min, max) as u128, t.bits())
                } else {
                    let max = truncate(u128::MAX, t.bits());
                    if add { a.saturating_add(b).min(max) } else { a.saturating_sub(b) }
                };
                ret(self, r)?
            }
            Intrinsic::WrappingAdd(t) => ret(self, truncate(self.arg_scalar(0).0.wrapping_add(self.arg_scalar(1).0), t.bits()))?,
            Intrinsic::WrappingSub(t) => ret(self, truncate(self.arg_scalar(0).0.wrapping_sub(self.arg_scalar(1).0), t.bits()))?,
            Intrinsic::WrappingMul(t) => ret(self, truncate(self.arg_scalar(0).0.wrapping_mul(self.arg_scalar(1).0), t.bits()))?,
            Intrinsic::DisjointBitor(t) => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                if a & b != 0 {
                    return Err(Error::ub(format!(
                        "`disjoint_bitor` called on {} and {} with overlapping bits",
                        fmt_int(a, t),
                        fmt_int(b, t)
                    )));
                }
                ret(self, a | b)?
            }
            Intrinsic::ThreeWayCompare(t) => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                let ord = if t.signed { sign_extend(a, t.bits()).cmp(&sign_extend(b, t.bits())) } else { a.cmp(&b) };
                ret(self, ord as i8 as u8 as u128)?
            }
            Intrinsic::PtrOffsetFrom { elem_size, unsigned } => {
                let (a, b) = (self.arg_ptr(0), self.arg_ptr(1));
                if a.addr != b.addr {
                    self.check_offset_from(a, b)?;
                }
                let diff = a.addr.wrapping_sub(b.addr) as i64;
                if unsigned && diff < 0 {
                    return Err(Error::ub("`ptr_offset_from_unsigned` called when first pointer has smaller address than second"));
                }
                if diff % elem_size as i64 != 0 {
                    return Err(Error::ub("`ptr_offset_from` called when the distance is not a multiple of the type size"));
                }
                ret(self, (diff / elem_size as i64) as u64 as u128)?
            }
            Intrinsic::ArithOffset { elem_size } => {
                let p = self.arg_ptr(0);
                let n = self.arg_u64(1) as i64;
                let q = p.offset(n.wrapping_mul(elem_size as i64) as u64);
                self.write_loc_scalar(dst, 8, q.addr as u128, q.prov)?;
            }
            Intrinsic::PtrGuaranteedCmp => {
                let (a, b) = (self.arg_ptr(0), self.arg_ptr(1));
                ret(self, (a.addr == b.addr) as u128)?
            }
            Intrinsic::PtrMask => {
                let p = self.arg_ptr(0);
                let mask = self.arg_u64(1);
                self.write_loc_scalar(dst, 8, (p.addr & mask) as u128, p.prov)?;
            }
            Intrinsic::Abort => return Err(Error::abort()),
            Intrinsic::Unreachable => return Err(Error::ub("entering unreachable code")),
            Intrinsic::Assume => {
                if self.arg_scalar(0).0 == 0 {
                    return Err(Error::ub("`assume` called with `false`"));
                }
            }
            Intrinsic::CatchUnwind => return self.catch_unwind(dst, target),
            Intrinsic::Identity { size } => {
                self.arg_to_scratch(0, 0, size);
                self.store_scratch(dst)?;
            }
            Intrinsic::Nop => {}
            Intrinsic::RawEq { size } => {
                let (a, b) = (self.arg_ptr(0), self.arg_ptr(1));
                let eq = self.mem.read_init(a, size)? == self.mem.read_init(b, size)?;
                ret(self, eq as u128)?
            }
            Intrinsic::CompareBytes => {
                let (a, b, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                let ord = self.mem.read_init(a, n)?.cmp(self.mem.read_init(b, n)?);
                ret(self, (ord as i8 as i32 as u32) as u128)?
            }
            Intrinsic::AtomicLoad { size, ord } => {
                let p = self.arg_ptr(0);
                let (v, prov) = self.atomic_load(p, size as u64, ord)?;
                self.write_loc_scalar(dst, size as u64, v, prov)?;
            }
            Intrinsic::AtomicStore { size, ord } => {
                let p = self.arg_ptr(0);
                let (v, prov) = self.arg_scalar(1);
                self.atomic_store(p, size as u64, v, prov, ord)?;
            }
            Intrinsic::AtomicRmw { op, ty, ord } => {
                let p = self.arg_ptr(0);
                let (v, vprov) = self.arg_scalar(1);
                let (old, oldprov) = self.atomic_rmw(p, op, ty, v, vprov, ord)?;
                self.write_loc_scalar(dst, ty.size as u64, old, oldprov)?;
            }
            Intrinsic::AtomicCxchg { ty, success, failure, weak } => {
                let p = self.arg_ptr(0);
                let (expected, _) = self.arg_scalar(1);
                let (new, newprov) = self.arg_scalar(2);
                let (old, oldprov, ok) = self.atomic_cxchg(p, ty, expected, new, newprov, success, failure, weak)?;
                let size = ty.size as u64;
                self.write_loc_scalar(dst, size, old, oldprov)?;
                self.write_loc_scalar(dst.offset(size), 1, ok as u128, Prov::NONE)?;
            }
            Intrinsic::Fence(ord) => self.atomic_fence(ord),
            Intrinsic::FloatUn { op, ty } => {
                let v = self.arg_scalar(0).0;
                ret(self, float_un(op, ty, v))?
            }
            Intrinsic::FloatBin { op, ty } => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                ret(self, float_bin(op, ty, a, b))?
            }
            Intrinsic::FloatFast { op, ty } => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                let finite = |v: u128| match ty {
                    FloatTy::F32 => f32::from_bits(v as u32).is_finite(),
                    FloatTy::F64 => f64::from_bits(v as u64).is_finite(),
                };
                let name = match op {
                    FloatBinOp::Add => "fadd_fast",
                    FloatBinOp::Sub => "fsub_fast",
                    FloatBinOp::Mul => "fmul_fast",
                    FloatBinOp::Div => "fdiv_fast",
                    _ => "frem_fast",
                };
                let which = match (finite(a), finite(b)) {
                    (false, false) => Some("both parameters"),
                    (false, true) => Some("first parameter"),
                    (true, false) => Some("second parameter"),
                    (true, true) => None,
                };
                if let Some(which) = which {
                    return Err(Error::ub(format!("`{name}` intrinsic called with non-finite value as {which}")));
                }
                let r = float_bin(op, ty, a, b);
                if !finite(r) {
                    return Err(Error::ub(format!("`{name}` intrinsic produced non-finite value as result")));
                }
                ret(self, r)?
            }
            Intrinsic::FloatToIntUnchecked { from, to } => {
                let v = self.arg_scalar(0).0;
                let (x, shown) = match from {
                    FloatTy::F32 => {
                        let f = f32::from_bits(v as u32);
                        (f as f64, fmt_float(f as f64, f.is_nan(), "f32"))
                    }
                    FloatTy::F64 => {
                        let f = f64::from_bits(v as u64);
                        (f, fmt_float(f, f.is_nan(), "f64"))
                    }
                };
                let t = x.trunc();
                let bits = to.bits();
                let (min, max) =
                    if to.signed { (-(2f64.powi(bits as i32 - 1)), 2f64.powi(bits as i32 - 1)) } else { (0.0, 2f64.powi(bits as i32)) };
                // In range: min <= t < max (both bounds are powers of two, exact in f64).
                if x.is_nan() || !(t >= min && t < max) {
                    let ty = format!("{}{}", if to.signed { "i" } else { "u" }, bits);
                    return Err(Error::ub(format!(
                        "`float_to_int_unchecked` intrinsic called on {shown} which cannot be represented in target type `{ty}`"
                    )));
                }
                let r = if to.signed { (t as i128) as u128 } else { t as u128 };
                ret(self, truncate(r, bits))?
            }
            Intrinsic::Fma(ty) => {
                let (a, b, c) = (self.arg_scalar(0).0, self.arg_scalar(1).0, self.arg_scalar(2).0);
                let r = match ty {
                    FloatTy::F32 => f32::from_bits(a as u32).mul_add(f32::from_bits(b as u32), f32::from_bits(c as u32)).to_bits() as u128,
                    FloatTy::F64 => f64::from_bits(a as u64).mul_add(f64::from_bits(b as u64), f64::from_bits(c as u64)).to_bits() as u128,
                };
                ret(self, r)?
            }
            Intrinsic::Powi(ty) => {
                let a = self.arg_scalar(0).0;
                let n = self.arg_scalar(1).0 as u32 as i32;
                let r = match ty {
                    FloatTy::F32 => f32::from_bits(a as u32).powi(n).to_bits() as u128,
                    FloatTy::F64 => f64::from_bits(a as u64).powi(n).to_bits() as u128,
                };
                ret(self, r)?
            }
            Intrinsic::CallerLocation => {
                let frame = self.stack.last().unwrap();
                let off = frame.func.caller_location.ok_or_else(|| Error::unsupported("caller_location outside #[track_caller]"))?;
                let (v, p) = self.reg_read_raw(frame.base + off as usize, 8);
                self.write_loc_scalar(dst, 8, v, p)?;
            }
            Intrinsic::NondetBool => {
                let b = self.os.nondet_bool();
                ret(self, b as u128)?
            }
            Intrinsic::AlignOffset { elem_size } => {
                let (p, align) = (self.arg_ptr(0), self.arg_u64(1));
                let (pos, usable) = if self.config.symbolic_alignment && p.prov.is_some() {
                    let a = self.mem.get(p.prov);
                    (p.addr.wrapping_sub(a.base), a.align >= align)
                } else {
                    (p.addr, true)
                };
                let n = if !usable || align == 0 {
                    None
                } else {
                    // The least n with (pos + n * elem_size) % align == 0; it repeats after `align` steps.
                    (0..align).find(|n| pos.wrapping_add(n.wrapping_mul(elem_size)) % align == 0)
                };
                ret(self, n.unwrap_or(u64::MAX) as u128)?
            }
            Intrinsic::Simd { op, lanes, elem, out } => self.simd(op, lanes, elem, out, dst, ret_size)?,
            Intrinsic::X86 { op, ref name } => self.call_x86(op, name, dst, ret_size)?,
        }
        self.shim_return(target)
    }

    fn simd(&mut self, op: SimdOp, lanes: u32, elem: IntTy, out: IntTy, dst: Loc, ret_size: u32) -> Res<()> {
        let es = elem.size as usize;
        let lane = |m: &Self, arg: usize, i: u32| -> u128 {
            let (start, _) = m.arg_ranges[arg];
            let s = start as usize + i as usize * es;
            let mut buf = [0u8; 16];
            buf[..es].copy_from_slice(&m.args[s..s + es]);
            u128::from_le_bytes(buf)
        };
        let bits = elem.bits();
        let cmp = |a: u128, b: u128| if elem.signed { sign_extend(a, bits).cmp(&sign_extend(b, bits)) } else { a.cmp(&b) };
        let mut result: Vec<u8> = Vec::with_capacity(lanes as usize * out.size as usize);
        if op == SimdOp::Shuffle {
            let (start, len) = self.arg_ranges[2];
            for k in 0..len as usize / 4 {
                let s = start as usize + 4 * k;
                let idx = u32::from_le_bytes(self.args[s..s + 4].try_into().unwrap());
                let v = if idx < lanes { lane(self, 0, idx) } else { lane(self, 1, idx - lanes) };
                result.extend_from_slice(&v.to_le_bytes()[..es]);
            }
            self.set_scratch(&result);
            return self.store_scratch(dst);
        }
        let mut acc: u128 = 0;
        for i in 0..lanes {
            let a = if op == SimdOp::Splat { 0 } else { lane(self, 0, i) };
            let v = match op {
                SimdOp::Splat => {
                    let (v, _) = self.arg_scalar(0);
                    truncate(v, bits)
                }
                SimdOp::Eq | SimdOp::Ne | SimdOp::Lt | SimdOp::Le | SimdOp::Gt | SimdOp::Ge => {
                    let o = cmp(a, lane(self, 1, i));
                    let t = match op {
                        SimdOp::Eq => o.is_eq(),
                        SimdOp::Ne => o.is_ne(),
                        SimdOp::Lt => o.is_lt(),
                        SimdOp::Le => o.is_le(),
                        SimdOp::Gt => o.is_gt(),
                        _ => o.is_ge(),
                    };
                    if t { truncate(u128::MAX, out.bits()) } else { 0 }
                }
                SimdOp::And => a & lane(self, 1, i),
                SimdOp::Or => a | lane(self, 1, i),
                SimdOp::Xor => a ^ lane(self, 1, i),
                SimdOp::Add => truncate(a.wrapping_add(lane(self, 1, i)), bits),
                SimdOp::Sub => truncate(a.wrapping_sub(lane(self, 1, i)), bits),
                SimdOp::Mul => truncate(a.wrapping_mul(lane(self, 1, i)), bits),
                SimdOp::Shl | SimdOp::Shr => {
                    let b = lane(self, 1, i);
                    if b >= bits as u128 {
                        let what = if op == SimdOp::Shl { "simd_shl" } else { "simd_shr" };
                        return Err(Error::ub(format!("overflowing shift by {b} in `{what}` in lane {i}")));
                    }
                    match op {
                        SimdOp::Shl => truncate(a << b, bits),
                        _ if elem.signed => truncate((sign_extend(a, bits) >> b) as u128, bits),
                        _ => a >> b,
                    }
                }
                SimdOp::Bitmask => {
                    if (a >> (bits - 1)) & 1 == 1 {
                        acc |= 1 << i;
                    }
                    continue;
                }
                SimdOp::ReduceOr | SimdOp::ReduceAny => {
                    acc |= a;
                    continue;
                }
                SimdOp::ReduceAnd | SimdOp::ReduceAll => {
                    acc = if i == 0 { a } else { acc & a };
                    continue;
                }
                SimdOp::Shuffle => unreachable!("handled above"),
            };
            result.extend_from_slice(&v.to_le_bytes()[..out.size as usize]);
        }
        match op {
            SimdOp::Bitmask | SimdOp::ReduceOr | SimdOp::ReduceAnd => self.write_loc_scalar(dst, ret_size as u64, acc, Prov::NONE),
            SimdOp::ReduceAny => self.write_loc_scalar(dst, ret_size as u64, (acc != 0) as u128, Prov::NONE),
            SimdOp::ReduceAll => self.write_loc_scalar(dst, ret_size as u64, (acc == truncate(u128::MAX, bits)) as u128, Prov::NONE),
            _ => {
                self.set_scratch(&result);
                self.store_scratch(dst)
            }
        }
    }

    /// `ptr_offset_from` of two different addresses: both pointers must be derived from the
    /// same live allocation and lie inside it (or one past its end).
    fn check_offset_from(&self, a: Ptr, b: Ptr) -> Res<()> {
        let (a, b) = (self.mem.resolve_wildcard(a, 0), self.mem.resolve_wildcard(b, 0));
        if a.prov.alloc == 0 || a.prov.alloc != b.prov.alloc {
            return Err(Error::ub("`ptr_offset_from` called on two different pointers that are not both derived from the same allocation"));
        }
        let alloc = self.mem.get(a.prov);
        let inside = |p: Ptr| p.addr >= alloc.base && p.addr - alloc.base <= alloc.size;
        if !alloc.live || !inside(a) || !inside(b) {
            return Err(Error::ub(
                "`ptr_offset_from` called on two different pointers where the memory range between them is not in-bounds of an allocation",
            ));
        }
        Ok(())
    }

    /// Size and alignment of the value whose (fat) pointer is argument `arg`.
    fn dyn_size_align(&mut self, l: DynLayout, arg: usize) -> Res<(u64, u64)> {
        if let DynLayout::Sized { size, align } = l {
            return Ok((size, align));
        }
        let (m, mp) = self.arg_meta(arg);
        let meta = self.dyn_meta(l, Ptr { addr: m, prov: mp })?;
        l.size_align(meta).ok_or_else(|| Error::ub("the size of an unsized value overflows"))
    }

    /// What an unsized value's layout needs from its pointer's metadata `m` (a length, or
    /// the vtable's size and alignment).
    pub(crate) fn dyn_meta(&self, l: DynLayout, m: Ptr) -> Res<vigil_ir::DynMeta> {
        Ok(match l {
            DynLayout::Dyn { .. } => {
                let (size, _) = self.mem.vtable_entry(m, 1)?;
                let (align, _) = self.mem.vtable_entry(m, 2)?;
                vigil_ir::DynMeta::Vtable { size: size as u64, align: align as u64 }
            }
            _ => vigil_ir::DynMeta::Len(m.addr),
        })
    }
}

/// A float as the reference interpreter shows it in reports (`+Inf_f32`, `NaN_f64`, `-1f32`,
/// `4.2949673E+9f32`: scientific once the integer part has more digits than the value's
/// shortest representation).
fn fmt_float(x: f64, nan: bool, suffix: &str) -> String {
    if nan {
        return format!("NaN_{suffix}");
    }
    if x.is_infinite() {
        return format!("{}Inf_{suffix}", if x > 0.0 { "+" } else { "-" });
    }
    let (plain, sci) =
        if suffix == "f32" { (format!("{}", x as f32), format!("{:E}", x as f32)) } else { (format!("{x}"), format!("{x:E}")) };
    let (mantissa, exp) = sci.split_once('E').unwrap_or((&sci, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).count() as i64;
    let exp: i64 = exp.parse().unwrap_or(0);
    if exp >= 0 && exp + 1 > digits { format!("{mantissa}E+{exp}{suffix}") } else { format!("{plain}{suffix}") }
}

fn fmt_int(v: u128, t: IntTy) -> String {
    if t.signed { sign_extend(v, t.bits()).to_string() } else { v.to_string() }
}

fn float_un(op: FloatUnOp, ty: FloatTy, v: u128) -> u128 {
    macro_rules! apply {
        ($x:expr) => {{
            let x = $x;
            match op {
                FloatUnOp::Sqrt => x.sqrt(),
                FloatUnOp::Floor => x.floor(),
                FloatUnOp::Ceil => x.ceil(),
                FloatUnOp::Trunc => x.trunc(),
                FloatUnOp::Round => x.round(),
                FloatUnOp::RoundTiesEven => x.round_ties_even(),
                FloatUnOp::Abs => x.abs(),
                FloatUnOp::Sin => x.sin(),
                FloatUnOp::Cos => x.cos(),
                FloatUnOp::Exp => x.exp(),
                FloatUnOp::Exp2 => x.exp2(),
                FloatUnOp::Ln => x.ln(),
                FloatUnOp::Log10 => x.log10(),
                FloatUnOp::Log2 => x.log2(),
            }
        }};
    }
    match ty {
        FloatTy::F32 => apply!(f32::from_bits(v as u32)).to_bits() as u128,
        FloatTy::F64 => apply!(f64::from_bits(v as u64)).to_bits() as u128,
    }
}

fn float_bin(op: FloatBinOp, ty: FloatTy, a: u128, b: u128) -> u128 {
    macro_rules! apply {
        ($x:expr, $y:expr) => {{
            let (x, y) = ($x, $y);
            match op {
                FloatBinOp::Copysign => x.copysign(y),
                FloatBinOp::Pow => x.powf(y),
                FloatBinOp::Min => x.min(y),
                FloatBinOp::Max => x.max(y),
                FloatBinOp::Minimum => x.minimum(y),
                FloatBinOp::Maximum => x.maximum(y),
                FloatBinOp::Add => x + y,
                FloatBinOp::Sub => x - y,
                FloatBinOp::Mul => x * y,
                FloatBinOp::Div => x / y,
                FloatBinOp::Rem => x % y,
            }
        }};
    }
    match ty {
        FloatTy::F32 => apply!(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits() as u128,
        FloatTy::F64 => apply!(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits() as u128,
    }
}
