//! Intrinsics the machine implements (the frontend already folded the constant ones).

use vigil_ir::{BinOp, DynLayout, FloatBinOp, FloatTy, IntTy, IntUnOp, Intrinsic, Unwind};

use crate::arith::{sign_extend, truncate};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};
use crate::{Loc, Machine};

impl Machine<'_> {
    pub(crate) fn call_intrinsic(&mut self, i: &Intrinsic, dst: Loc, ret_size: u32, target: Option<u32>, unwind: Unwind) -> Res<()> {
        let _ = unwind;
        // Arguments are used as values, except for the ones that only move their bytes.
        let moves_bytes = match i {
            Intrinsic::Store { .. } | Intrinsic::WriteViaMove { .. } | Intrinsic::Identity { .. } | Intrinsic::CatchUnwind { .. } => true,
            // Lane by lane: padding between lanes may be uninitialized.
            Intrinsic::Simd(_) => true,
            _ => false,
        };
        if !moves_bytes {
            self.check_args_init()?;
        }
        let ret = |m: &mut Self, v: u128| m.write_loc_scalar(dst, ret_size as u64, v, Prov::NONE);
        match *i {
            Intrinsic::CopyNonOverlapping { elem_size, elem_align } | Intrinsic::Copy { elem_size, elem_align } => {
                let (src, dstp, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                if self.config.alignment_check {
                    self.check_align(src, elem_align)?;
                    self.check_align(dstp, elem_align)?;
                }
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
            Intrinsic::WriteBytes { elem_size, elem_align } => {
                let (p, byte, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                if self.config.alignment_check {
                    self.check_align(p, elem_align)?;
                }
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
            Intrinsic::Ctpop(t) => ret(self, int_un(IntUnOp::Ctpop, t, self.arg_scalar(0).0))?,
            Intrinsic::Ctlz(t) => ret(self, int_un(IntUnOp::Ctlz, t, self.arg_scalar(0).0))?,
            Intrinsic::CtlzNonzero(t) | Intrinsic::CttzNonzero(t) => {
                let v = truncate(self.arg_scalar(0).0, t.bits());
                let lz = matches!(i, Intrinsic::CtlzNonzero(_));
                if v == 0 {
                    return Err(Error::ub(format!("`{}` called on 0", if lz { "ctlz_nonzero" } else { "cttz_nonzero" })));
                }
                ret(self, if lz { v.leading_zeros() - (128 - t.bits()) } else { v.trailing_zeros() } as u128)?
            }
            Intrinsic::Cttz(t) => ret(self, int_un(IntUnOp::Cttz, t, self.arg_scalar(0).0))?,
            Intrinsic::Bswap(t) => ret(self, int_un(IntUnOp::Bswap, t, self.arg_scalar(0).0))?,
            Intrinsic::Bitreverse(t) => ret(self, int_un(IntUnOp::Bitreverse, t, self.arg_scalar(0).0))?,
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
                let op = if matches!(i, Intrinsic::SaturatingAdd(_)) { vigil_ir::BinOp::Add } else { vigil_ir::BinOp::Sub };
                ret(self, saturating(op, t, self.arg_scalar(0).0, self.arg_scalar(1).0))?
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
            Intrinsic::Breakpoint => return Err(Error::terminated("trace/breakpoint trap")),
            Intrinsic::VaArg { size } => self.va_arg(dst, size)?,
            Intrinsic::VaCopy => self.va_copy(dst)?,
            Intrinsic::VaEnd => self.va_end()?,
            Intrinsic::Unreachable => return Err(Error::ub("entering unreachable code")),
            Intrinsic::Assume => {
                if self.arg_scalar(0).0 == 0 {
                    return Err(Error::ub("`assume` called with `false`"));
                }
            }
            Intrinsic::CatchUnwind { try_sig, catch_sig } => return self.catch_unwind(dst, target, try_sig, catch_sig),
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
                let r = self.float_un(op, ty, v);
                ret(self, r)?
            }
            Intrinsic::FloatBin { op, ty } => {
                let (a, b) = (self.arg_scalar(0).0, self.arg_scalar(1).0);
                let r = self.float_bin(op, ty, a, b);
                ret(self, r)?
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
                let r = crate::float::host_bin(op, ty, a, b);
                if !finite(r) {
                    return Err(Error::ub(format!("`{name}` intrinsic produced non-finite value as result")));
                }
                // The extra error comes after the check (it may not make the result UB).
                let r = self.rounding_error(ty, r);
                ret(self, r)?
            }
            Intrinsic::FloatToIntUnchecked { from, to } => {
                let r = float_to_int_checked(from, to, self.arg_scalar(0).0, "float_to_int_unchecked")?;
                ret(self, r)?
            }
            Intrinsic::Fma(ty) | Intrinsic::MulAdd(ty) => {
                // `fmuladd` fuses or not, at random (unless floats are deterministic).
                let fused = matches!(i, Intrinsic::Fma(_)) || self.float_coin();
                let (a, b, c) = (self.arg_scalar(0).0, self.arg_scalar(1).0, self.arg_scalar(2).0);
                let r = self.mul_add(ty, fused, a, b, c);
                ret(self, r)?
            }
            Intrinsic::Powi(ty) => {
                let a = self.arg_scalar(0).0;
                let n = self.arg_scalar(1).0 as u32 as i32;
                let r = self.float_powi(ty, a, n);
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
                // From the address, as core computes it; under symbolic alignment core then
                // promises the alignment of the result (`miri_promise_symbolic_alignment`).
                let (p, align) = (self.arg_ptr(0), self.arg_u64(1));
                ret(self, align_offset(p.addr, elem_size, align) as u128)?
            }
            Intrinsic::Simd(ref call) => self.simd(call, dst, ret_size)?,
            Intrinsic::X86 { op, ref name } => self.call_x86(op, name, dst, ret_size)?,
        }
        self.shim_return(target)
    }

    /// `ptr_offset_from` of two different addresses: both pointers must be derived from the
    /// same live allocation and lie inside it (or one past its end).
    fn check_offset_from(&self, a: Ptr, b: Ptr) -> Res<()> {
        let (lo, hi) = (a.addr.min(b.addr), a.addr.max(b.addr));
        let (a, b) = (self.mem.resolve_wildcard_span(a, lo, hi), self.mem.resolve_wildcard_span(b, lo, hi));
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
    #[inline(always)]
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
/// `4.2949673E+9f32`), by its printing algorithm: 9 significant digits for f32, 17 for f64
/// (extra digits are first cut off in binary-sized steps, then rounded half up), trailing
/// zeros dropped, written plainly unless that needs more than 3 padding zeros or more digits
/// than the precision has (then `d.dddE+n`).
pub(crate) fn fmt_float(x: f64, nan: bool, suffix: &str) -> String {
    if nan {
        return format!("NaN_{suffix}");
    }
    if x.is_infinite() {
        return format!("{}Inf_{suffix}", if x > 0.0 { "+" } else { "-" });
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0{suffix}");
    }
    let precision: usize = if suffix == "f32" { 9 } else { 17 };
    // x = m * 2^e with m odd.
    let bits = x.abs().to_bits();
    let (frac, biased) = (bits & ((1 << 52) - 1), (bits >> 52) as i64);
    let (mut m, mut e) = if biased == 0 { (frac, -1074) } else { (frac | 1 << 52, biased - 1075) };
    e += m.trailing_zeros() as i64;
    m >>= m.trailing_zeros();
    // The value as a big integer times 10^exp: m * 2^e, or m * 5^-e * 10^e.
    let mut big = vec![m as u32, (m >> 32) as u32];
    let mut exp = 0i64;
    let mul_small = |big: &mut Vec<u32>, k: u32| {
        let mut carry = 0u64;
        for limb in big.iter_mut() {
            let v = *limb as u64 * k as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            big.push(carry as u32);
        }
    };
    for _ in 0..e.unsigned_abs() {
        mul_small(&mut big, if e > 0 { 2 } else { 5 });
    }
    if e < 0 {
        exp = e;
    }
    while big.len() > 1 && big.last() == Some(&0) {
        big.pop();
    }
    let bit_len = 32 * (big.len() as u64 - 1) + (32 - big.last().unwrap().leading_zeros()) as u64;
    let mut digits = Vec::new();
    while big.iter().any(|&l| l != 0) {
        let mut rem = 0u64;
        for limb in big.iter_mut().rev() {
            let v = rem << 32 | *limb as u64;
            *limb = (v / 10) as u32;
            rem = v % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    digits.reverse();
    // Cut off the decimal digits that are certainly beyond the precision (truncating).
    let bits_required = (precision as u64 * 196).div_ceil(59);
    if bit_len > bits_required {
        let removable = ((bit_len - bits_required) * 59 / 196) as usize;
        digits.truncate(digits.len() - removable);
        exp += removable as i64;
    }
    let strip = |digits: &mut Vec<u8>, exp: &mut i64| {
        while digits.len() > 1 && digits.last() == Some(&b'0') {
            digits.pop();
            *exp += 1;
        }
    };
    strip(&mut digits, &mut exp);
    // Then round half up to the precision.
    if digits.len() > precision {
        let round_up = digits[precision] >= b'5';
        exp += (digits.len() - precision) as i64;
        digits.truncate(precision);
        if round_up {
            while digits.last() == Some(&b'9') {
                digits.pop();
                exp += 1;
            }
            match digits.last_mut() {
                Some(d) => *d += 1,
                None => digits.push(b'1'),
            }
        }
        strip(&mut digits, &mut exp);
    }
    let n = digits.len() as i64;
    let d = String::from_utf8(digits).unwrap();
    let msd = exp + n - 1;
    let scientific = if exp >= 0 { exp > 3 || n + exp > precision as i64 } else { msd < -3 };
    let body = if scientific {
        let rest = if n == 1 { "0" } else { &d[1..] };
        format!("{}.{rest}E{}{}", &d[..1], if msd >= 0 { "+" } else { "-" }, msd.abs())
    } else if exp >= 0 {
        format!("{d}{}", "0".repeat(exp as usize))
    } else if msd >= 0 {
        let point = (n + exp) as usize;
        format!("{}.{}", &d[..point], &d[point..])
    } else {
        format!("0.{}{d}", "0".repeat((-msd - 1) as usize))
    };
    format!("{sign}{body}{suffix}")
}

pub(crate) fn fmt_int(v: u128, t: IntTy) -> String {
    if t.signed { sign_extend(v, t.bits()).to_string() } else { v.to_string() }
}

/// A bit-counting or bit-moving operation on an integer of type `t`.
pub(crate) fn int_un(op: IntUnOp, t: IntTy, v: u128) -> u128 {
    let bits = t.bits();
    let v = truncate(v, bits);
    match op {
        IntUnOp::Ctpop => v.count_ones() as u128,
        IntUnOp::Ctlz => (v.leading_zeros() - (128 - bits)) as u128,
        IntUnOp::Cttz => (if v == 0 { bits } else { v.trailing_zeros() }) as u128,
        IntUnOp::Bswap => v.swap_bytes() >> (128 - bits),
        IntUnOp::Bitreverse => v.reverse_bits() >> (128 - bits),
    }
}

/// Saturating `BinOp::Add` or `BinOp::Sub` on integers of type `t`.
pub(crate) fn saturating(op: BinOp, t: IntTy, a: u128, b: u128) -> u128 {
    let add = op == BinOp::Add;
    if t.signed {
        let (x, y) = (sign_extend(a, t.bits()), sign_extend(b, t.bits()));
        let (min, max) = (-(1i128 << (t.bits() - 1)), (1i128 << (t.bits() - 1)) - 1);
        let v = if add { x.saturating_add(y) } else { x.saturating_sub(y) };
        truncate(v.clamp(min, max) as u128, t.bits())
    } else {
        let max = truncate(u128::MAX, t.bits());
        if add { a.saturating_add(b).min(max) } else { a.saturating_sub(b) }
    }
}

/// A float truncated to an integer type; UB (reported as intrinsic `name`'s) when it does
/// not fit.
pub(crate) fn float_to_int_checked(from: FloatTy, to: IntTy, v: u128, name: &str) -> Res<u128> {
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
    let (min, max) = if to.signed { (-(2f64.powi(bits as i32 - 1)), 2f64.powi(bits as i32 - 1)) } else { (0.0, 2f64.powi(bits as i32)) };
    // In range: min <= t < max (both bounds are powers of two, exact in f64).
    if x.is_nan() || !(t >= min && t < max) {
        let ty = format!("{}{}", if to.signed { "i" } else { "u" }, bits);
        return Err(Error::ub(format!("`{name}` intrinsic called on {shown} which cannot be represented in target type `{ty}`")));
    }
    let r = if to.signed { (t as i128) as u128 } else { t as u128 };
    Ok(truncate(r, bits))
}

#[cfg(test)]
mod tests {
    use super::fmt_float;

    #[test]
    fn floats_are_shown_as_the_reference_interpreter_shows_them() {
        let f32s = |v: f32| fmt_float(v as f64, v.is_nan(), "f32");
        let f64s = |v: f64| fmt_float(v, v.is_nan(), "f64");
        assert_eq!(f32s(-1.0), "-1f32");
        assert_eq!(f32s(f32::MAX), "3.40282347E+38f32");
        assert_eq!(f32s(2147483648.0), "2.14748365E+9f32");
        assert_eq!(f32s(0.5), "0.5f32");
        assert_eq!(f32s(f32::NEG_INFINITY), "-Inf_f32");
        assert_eq!(f64s(2147483648.0), "2147483648f64");
        assert_eq!(f64s(u64::MAX as f64), "1.8446744073709552E+19f64");
        assert_eq!(f64s(1e10), "1.0E+10f64");
        assert_eq!(f64s(1234.0), "1234f64");
        assert_eq!(f64s(0.00125), "0.00125f64");
        assert_eq!(f64s(f64::NAN), "NaN_f64");
        // The step that cuts digits truncates: ...77856 is not rounded up to ...779.
        assert_eq!(f64s(-9223372036854777856.0), "-9.2233720368547778E+18f64");
        assert_eq!(f64s(0.00000762939453125), "7.62939453125E-6f64");
    }
}

/// The least `n` with `(addr + n * elem_size) % align == 0` (`align` a power of two), or
/// `u64::MAX` when there is none.
fn align_offset(addr: u64, elem_size: u64, align: u64) -> u64 {
    if align == 0 || !align.is_power_of_two() {
        return u64::MAX;
    }
    let mis = addr & (align - 1);
    if mis == 0 {
        return 0;
    }
    if elem_size == 0 {
        return u64::MAX;
    }
    // Steps of `elem_size` change the address modulo `g`, the power of two dividing both.
    let g = (1u64 << elem_size.trailing_zeros()).min(align);
    if !mis.is_multiple_of(g) {
        return u64::MAX;
    }
    let m = align / g;
    // n * (elem_size / g) == (align - mis) / g (mod m), with elem_size / g odd.
    let x = elem_size / g;
    let mut inv = x;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(inv)));
    }
    (((align - mis) / g).wrapping_mul(inv)) & (m - 1)
}

#[cfg(test)]
mod align_tests {
    use super::align_offset;

    #[test]
    fn align_offset_is_the_least_step_count() {
        for addr in 0..64u64 {
            for size in [0u64, 1, 2, 3, 4, 6, 8, 12, 24] {
                for align in [1u64, 2, 4, 8, 16, 32] {
                    let want = (0..align).find(|n| (addr + n * size) % align == 0).unwrap_or(u64::MAX);
                    assert_eq!(align_offset(addr, size, align), want, "addr {addr} size {size} align {align}");
                }
            }
        }
        assert_eq!(align_offset(1 << 47, 1 << 47, 1 << 47), 0);
        assert_eq!(align_offset(1, 1, 1 << 40), (1 << 40) - 1);
    }
}
