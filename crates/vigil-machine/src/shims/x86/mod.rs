//! x86 vendor intrinsics (`vigil_ir::X86Op`, chosen at lowering from the `llvm.x86.*` link
//! name): the arguments' bytes go to a pure function of the operation's family, whose result
//! becomes the return value; only the loads (`ldu`, gathers) touch memory, and the fences the
//! machine's memory model.
//!
//! - `lanes.rs`: lane access, float lane types, size checks.
//! - `float.rs`: float lanes (min/max, comparisons, conversions, rcp/rsqrt, rounding, dot
//!   products, `insertps`, `vpermilvar`, `ptest`/`vtest`).
//! - `int.rs`: integer lanes (sad, shifts, packs, multiply-adds, shuffles, permutes, ternary
//!   logic, popcount).
//! - `strings.rs`: sse4.2 (CRC-32C, string comparisons).
//! - `crypto.rs`: aes/vaes, pclmulqdq, sha, gfni.
//! - `bits.rs`: bmi1, bmi2, adx.

mod bits;
mod crypto;
mod float;
mod int;
mod lanes;
mod strings;

use vigil_ir::X86Op;

use self::lanes::{Fault, Res, check, scalar};
use crate::error::{Error, Res as MRes};
use crate::memory::Ptr;
use crate::{Loc, Machine};

/// Computes `op` on the argument bytes `args` into `out` (the return value's bytes); `rand`
/// gives random bits for the approximate instructions. Everything but memory.
pub fn compute(op: X86Op, name: &str, args: &[&[u8]], out: &mut [u8], rand: &mut dyn FnMut() -> u64) -> Res<()> {
    use X86Op::*;
    check(args.len() == op.arity())?;
    let imm = |i: usize| scalar(args[i]);
    match op {
        MinMax { ty, max, scalar } => float::min_max_lanes(ty, max, scalar, args[0], args[1], out),
        Cmp { ty, scalar, avx } => float::cmp_lanes(ty, scalar, avx, name, args, out),
        Comi { ty, pred } => float::comi(ty, pred, args[0], args[1], out),
        FloatToInt { ty, out: size, truncate } => float::float_to_int(ty, size as usize, truncate, args[0], out),
        Cvtsd2ss => float::cvtsd2ss(args[0], args[1], out),
        Approx { rsqrt, scalar } => float::approx(rsqrt, scalar, args[0], out, rand),
        Round { ty, scalar } => float::round(ty, scalar, name, args, out),
        Dp { ty } => float::dot_product(ty, args[0], args[1], imm(2), out),
        Insertps => float::insertps(args[0], args[1], imm(2), out),
        Vpermilvar { ty } => float::vpermilvar(ty, args[0], args[1], out),
        TestSign { elem, flag } => float::test(elem as usize, flag, args[0], args[1], out),
        Ptest { flag } => float::test(0, flag, args[0], args[1], out),
        Psadbw => int::psadbw(args[0], args[1], out),
        ShiftByScalar { elem, kind } => int::shift_by_scalar(elem as usize, kind, args[0], args[1], out),
        Pack { from, signed } => int::pack(from as usize, signed, args[0], args[1], out),
        Pmaddwd => int::pmaddwd(args[0], args[1], out),
        Pmaddubsw => int::pmaddubsw(args[0], args[1], out),
        Pmulhrsw => int::pmulhrsw(args[0], args[1], out),
        Psign { elem } => int::psign(elem as usize, args[0], args[1], out),
        Pshufb => int::pshufb(args[0], args[1], out),
        HaddSatI16 { sub } => int::hadd_sat_i16(sub, args[0], args[1], out),
        Mpsadbw => int::mpsadbw(args[0], args[1], imm(2), out),
        Phminposuw => int::phminposuw(args[0], out),
        Permute { elem } => int::permute(elem as usize, args[0], args[1], out),
        Permute2 { elem } => int::permute2(elem as usize, args[0], args[1], args[2], out),
        Pternlog => int::pternlog(args[0], args[1], args[2], imm(3), out),
        Vpdpbusd => int::vpdpbusd(args[0], args[1], args[2], out),
        Ctpop { elem } => int::ctpop(elem as usize, args[0], out),
        Crc32 { bits } => strings::crc32(bits as u32, args[0], args[1], out),
        StrCmp { explicit, result } => strings::str_cmp(explicit, result, name, args, out),
        Aes(op) => crypto::aes(op, args, out),
        Pclmulqdq => crypto::pclmulqdq(args[0], args[1], imm(2), out),
        Sha256Rnds2 => crypto::sha256rnds2(args[0], args[1], args[2], out),
        Sha256Msg1 => crypto::sha256msg1(args[0], args[1], out),
        Sha256Msg2 => crypto::sha256msg2(args[0], args[1], out),
        Gf2p8Affine { inverse } => crypto::gf2p8affine(inverse, args[0], args[1], imm(2), out),
        Gf2p8Mul => crypto::gf2p8mul(args[0], args[1], out),
        Bextr | Bzhi | Pext | Pdep => bits::bmi(op, args[0], args[1], out),
        AddCarry { sub, carry_off, sum_off } => bits::add_carry(sub, carry_off as usize, sum_off as usize, args, out),
        Nop => Ok(()),
        Prefetch => {
            let (rw, locality, cache) = (imm(1) as u32 as i32, imm(2) as u32 as i32, imm(3) as u32 as i32);
            if cache != 1 {
                return Err(Fault::Unsupported(format!("unsupported `llvm.prefetch` type argument: {cache}")));
            }
            if !matches!(rw, 0 | 1) {
                return Err(Fault::Unsupported(format!("invalid `rw` value passed to `llvm.prefetch`: {rw}")));
            }
            if !matches!(locality, 0..=3) {
                return Err(Fault::Unsupported(format!("invalid `loc` value passed to `llvm.prefetch`: {locality}")));
            }
            Ok(())
        }
        Ldu | Gather { .. } | Fence => Err(Fault::Unsupported(format!("`{name}` needs the machine"))),
    }
}

impl Machine<'_> {
    /// Runs the x86 intrinsic `op` (link name `name`) on the call's arguments, writing its
    /// result to `dst`.
    pub(crate) fn call_x86(&mut self, op: X86Op, name: &str, dst: Loc, ret_size: u32) -> MRes<()> {
        let args: Vec<Vec<u8>> = self.arg_ranges.iter().map(|&(s, n)| self.args[s as usize..(s + n) as usize].to_vec()).collect();
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
        match op {
            X86Op::Ldu => {
                let p = self.arg_ptr(0);
                self.load_loc(Loc::Mem(p), ret_size as u64)?;
                return self.store_scratch(dst);
            }
            X86Op::Gather { idx, elem } => return self.gather(idx as usize, elem as usize, &args, dst, ret_size),
            X86Op::Fence => {
                self.atomic_fence(vigil_ir::AtomicOrd::SeqCst);
                return Ok(());
            }
            _ => {}
        }
        let mut out = vec![0u8; ret_size as usize];
        // (The error of approximate instructions is a float choice: none when floats are
        // deterministic, as a draw of 0 gives.)
        let floats = self.config.floats;
        let mut rand = || if floats.extra_error() { self.os.nondet_u64() } else { 0 };
        compute(op, name, &args, &mut out, &mut rand).map_err(|f| match f {
            Fault::Ub(m) => Error::ub(m),
            Fault::Unsupported(m) => Error::unsupported(m),
        })?;
        if ret_size > 0 {
            self.set_scratch(&out);
            self.store_scratch(dst)?;
        }
        Ok(())
    }

    /// AVX2 gathers `(src, base, offsets, mask, scale)`: lane `i` is loaded from
    /// `base + offsets[i] * scale` where the mask lane's sign bit is set, copied from `src`
    /// where not; lanes past the offsets' count are zero.
    fn gather(&mut self, idx: usize, elem: usize, args: &[&[u8]], dst: Loc, ret_size: u32) -> MRes<()> {
        let (src, offsets, mask, scale) = (args[0], args[2], args[3], scalar(args[4]) as i64);
        let n = ret_size as usize / elem;
        let bad = || Error::unsupported("an x86 gather declared with arguments of unexpected sizes");
        if src.len() != ret_size as usize || mask.len() != ret_size as usize || offsets.len() % idx != 0 || args[1].len() != 8 {
            return Err(bad());
        }
        if !matches!(scale, 1 | 2 | 4 | 8) {
            return Err(Error::unsupported(format!("x86 gather with scale {scale}")));
        }
        let base = self.arg_ptr(1);
        let count = n.min(offsets.len() / idx);
        let (mut bytes, mut init) = (vec![0u8; ret_size as usize], vec![1u8; ret_size as usize]);
        for i in 0..n {
            let range = i * elem..(i + 1) * elem;
            if i >= count {
                continue;
            }
            if lanes::get(mask, elem, i) >> (8 * elem - 1) == 0 {
                bytes[range.clone()].copy_from_slice(&src[range]);
                continue;
            }
            let off = lanes::get_signed(offsets, idx, i).wrapping_mul(scale);
            let p = Ptr { addr: base.addr.wrapping_add(off as u64), prov: base.prov };
            self.load_loc(Loc::Mem(p), elem as u64)?;
            bytes[range.clone()].copy_from_slice(&self.scratch);
            init[range].copy_from_slice(&self.scratch_init);
        }
        self.set_scratch(&bytes);
        self.scratch_init.copy_from_slice(&init);
        self.store_scratch(dst)
    }
}
