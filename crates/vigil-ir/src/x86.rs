//! The x86 vendor intrinsics (`llvm.x86.*` and the few generic `llvm.*` intrinsics `core::arch`
//! declares as foreign functions: `llvm.ctpop.v*`, `llvm.prefetch`), declared once in one table: link name, the
//! target features the intrinsic requires (in the order they are checked) and the operation
//! the machine performs (`X86Op`). Lane counts are not part of an operation: the machine
//! derives them from the argument and return sizes, which the frontend checks at lowering.

use crate::FloatTy;

/// How a comparison of two lanes is turned into a result (`comi`/`ucomi`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpPred {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    Ne,
}

/// Which flag a `ptest`/`vtest` intrinsic returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFlag {
    /// ZF: `a & b` is all zeros.
    Z,
    /// CF: `!a & b` is all zeros.
    C,
    /// Neither ZF nor CF.
    Nzc,
}

/// Lane shifts by the count in the low 64 bits of a second vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftKind {
    Left,
    RightLogical,
    RightArith,
}

/// What a `pcmp[ei]str*` intrinsic returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrResult {
    /// The index (`pcmp?stri`).
    Index,
    /// The mask (`pcmp?strm`).
    Mask,
    /// CF == 0 && ZF == 0.
    A,
    /// CF: some bit of the result is set.
    C,
    /// OF: bit 0 of the result.
    O,
    /// SF: the first string is shorter than the vector.
    S,
    /// ZF: the second string is shorter than the vector.
    Z,
}

/// One AES round step (per 128-bit block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AesOp {
    Enc,
    EncLast,
    Dec,
    DecLast,
    Imc,
    /// `aeskeygenassist` (round constant in the immediate).
    KeyGenAssist,
}

/// The operation of an x86 intrinsic. Float and integer lane counts come from the sizes of
/// the arguments; `elem` fields are lane sizes in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum X86Op {
    // Float lanes (sse, sse2, sse4.1, avx).
    /// x86 `min`/`max`: the second operand when either is NaN or both are zeros. `scalar`:
    /// lane 0 only, the other lanes from the first operand.
    MinMax {
        ty: FloatTy,
        max: bool,
        scalar: bool,
    },
    /// `cmp` with the predicate in the immediate (third argument); bit 3 of it needs `avx`.
    Cmp {
        ty: FloatTy,
        scalar: bool,
        avx: bool,
    },
    /// `comi`/`ucomi` of lane 0, as an `i32`.
    Comi {
        ty: FloatTy,
        pred: CmpPred,
    },
    /// Float lanes to signed integer lanes of the return's lane size (`out` bytes), rounding to
    /// nearest or truncating; NaN and out-of-range values give the "integer indefinite" value
    /// (the minimum). Extra return lanes are zero.
    FloatToInt {
        ty: FloatTy,
        out: u8,
        truncate: bool,
    },
    /// `cvtsd2ss`: lane 0 of the second (f64) operand as f32 into the first.
    Cvtsd2ss,
    /// Approximate reciprocal (or reciprocal square root) with a random relative error below 2^-12.
    Approx {
        rsqrt: bool,
        scalar: bool,
    },
    /// Round to integral with the rounding mode in the immediate (last argument). `scalar`:
    /// lane 0 of the second operand, the other lanes of the first.
    Round {
        ty: FloatTy,
        scalar: bool,
    },
    /// Conditional dot product per 128-bit chunk (`dpps`, `dppd`, `dp.ps.256`).
    Dp {
        ty: FloatTy,
    },
    Insertps,
    /// `vpermilvar`: lanes picked within each 128-bit chunk by the index vector.
    Vpermilvar {
        ty: FloatTy,
    },
    /// `vtest*` on the sign bits of float lanes.
    TestSign {
        elem: u8,
        flag: TestFlag,
    },
    /// `ptest*` on all bits.
    Ptest {
        flag: TestFlag,
    },
    // Integer lanes (sse2, ssse3, sse4.1, avx2, avx512).
    Psadbw,
    ShiftByScalar {
        elem: u8,
        kind: ShiftKind,
    },
    /// Narrowing with saturation, per 128-bit chunk: lanes of `from` bytes to half as wide,
    /// signed or unsigned results.
    Pack {
        from: u8,
        signed: bool,
    },
    Pmaddwd,
    Pmaddubsw,
    Pmulhrsw,
    Psign {
        elem: u8,
    },
    Pshufb,
    /// Horizontal saturating add/sub of i16 pairs per 128-bit chunk.
    HaddSatI16 {
        sub: bool,
    },
    Mpsadbw,
    Phminposuw,
    /// Lanes of the first vector picked by the index vector (full width).
    Permute {
        elem: u8,
    },
    /// Lanes of two vectors picked by the index vector (second argument).
    Permute2 {
        elem: u8,
    },
    Pternlog,
    Vpdpbusd,
    /// `llvm.ctpop.v*`: population count per lane.
    Ctpop {
        elem: u8,
    },
    // sse4.2
    Crc32 {
        bits: u8,
    },
    StrCmp {
        explicit: bool,
        result: StrResult,
    },
    // Cryptography and carry-less arithmetic.
    Aes(AesOp),
    Pclmulqdq,
    Sha256Rnds2,
    Sha256Msg1,
    Sha256Msg2,
    Gf2p8Affine {
        inverse: bool,
    },
    Gf2p8Mul,
    // Scalar bit manipulation (bmi1, bmi2, adx).
    Bextr,
    Bzhi,
    Pext,
    Pdep,
    /// `(carry_out, sum) = a + b + carry_in` (or with borrows); the offsets are the return
    /// tuple's field offsets.
    AddCarry {
        sub: bool,
        carry_off: u8,
        sum_off: u8,
    },
    // Memory and hints.
    /// `ldu.dq`: an unaligned load of the return's size through the pointer argument.
    Ldu,
    /// AVX2 gathers: `(src, base, offsets, mask, scale)` with `idx`-byte offsets and
    /// `elem`-byte lanes.
    Gather {
        idx: u8,
        elem: u8,
    },
    /// Hints with no observable effect (`vzeroupper`, `vzeroall`).
    Nop,
    /// `sfence`, `lfence`, `mfence`: a sequentially consistent fence (stronger than each).
    Fence,
    /// `llvm.prefetch(ptr, rw, locality, cache)`: a hint, never UB (the pointer is not checked);
    /// only data-cache prefetches with valid `rw` and locality are supported.
    Prefetch,
}

impl X86Op {
    /// How many arguments the intrinsic takes.
    pub fn arity(self) -> usize {
        use X86Op::*;
        match self {
            Nop | Fence => 0,
            Approx { .. } | Ctpop { .. } | Phminposuw | Ldu | FloatToInt { .. } | Aes(AesOp::Imc) => 1,
            Round { scalar: false, .. } | Aes(AesOp::KeyGenAssist) => 2,
            Round { scalar: true, .. } => 3,
            Cmp { .. } | Dp { .. } | Insertps | Mpsadbw | Permute2 { .. } | Vpdpbusd | Pclmulqdq | Sha256Rnds2 | Gf2p8Affine { .. } => 3,
            AddCarry { .. } => 3,
            Pternlog | Prefetch => 4,
            StrCmp { explicit: false, .. } => 3,
            StrCmp { explicit: true, .. } => 5,
            Gather { .. } => 5,
            _ => 2,
        }
    }
}

/// What a link name is: the operation and the target features it requires.
pub struct X86Intrinsic {
    pub op: X86Op,
    pub features: &'static [&'static str],
}

/// The intrinsic a link name stands for (`None`: not one Vigil implements). `avx`: whether
/// the program is compiled with `avx` (the `cmp` predicates of bit 3 need it).
pub fn x86_intrinsic(link_name: &str, avx: bool) -> Option<X86Intrinsic> {
    use FloatTy::{F32, F64};
    use X86Op::*;
    let rest = match link_name.strip_prefix("llvm.x86.") {
        Some(rest) => rest,
        None if link_name == "llvm.prefetch" => return Some(X86Intrinsic { op: Prefetch, features: &[] }),
        None => {
            // `llvm.ctpop.v16i8` and siblings (avx512 bitalg/vpopcntdq).
            let ty = link_name.strip_prefix("llvm.ctpop.v")?;
            let elem = ty.split_once('i').and_then(|(_, bits)| bits.parse::<u8>().ok())?;
            if !matches!(elem, 8 | 16 | 32 | 64) {
                return None;
            }
            return Some(X86Intrinsic { op: Ctpop { elem: elem / 8 }, features: &[] });
        }
    };
    const SSE: &[&str] = &["sse"];
    const SSE2: &[&str] = &["sse2"];
    const SSE3: &[&str] = &["sse3"];
    const SSSE3: &[&str] = &["ssse3"];
    const SSE41: &[&str] = &["sse4.1"];
    const SSE42: &[&str] = &["sse4.2"];
    const AVX: &[&str] = &["avx"];
    const AVX2: &[&str] = &["avx2"];
    const BW: &[&str] = &["avx512bw"];
    const F: &[&str] = &["avx512f"];
    const FVL: &[&str] = &["avx512f", "avx512vl"];
    const VNNI: &[&str] = &["avx512vnni"];
    const VNNIVL: &[&str] = &["avx512vnni", "avx512vl"];
    const AES: &[&str] = &["aes"];
    const SHA: &[&str] = &["sha"];
    const NONE: &[&str] = &[];
    let (op, features): (X86Op, &'static [&'static str]) = match rest {
        // adx (no feature needed: plain integer arithmetic)
        "addcarry.32" | "addcarry.64" => (AddCarry { sub: false, carry_off: 0, sum_off: 0 }, NONE),
        "subborrow.32" | "subborrow.64" => (AddCarry { sub: true, carry_off: 0, sum_off: 0 }, NONE),
        // sse
        "sse.min.ss" => (MinMax { ty: F32, max: false, scalar: true }, SSE),
        "sse.max.ss" => (MinMax { ty: F32, max: true, scalar: true }, SSE),
        "sse.min.ps" => (MinMax { ty: F32, max: false, scalar: false }, SSE),
        "sse.max.ps" => (MinMax { ty: F32, max: true, scalar: false }, SSE),
        "sse.rcp.ss" => (Approx { rsqrt: false, scalar: true }, SSE),
        "sse.rsqrt.ss" => (Approx { rsqrt: true, scalar: true }, SSE),
        "sse.rcp.ps" => (Approx { rsqrt: false, scalar: false }, SSE),
        "sse.rsqrt.ps" => (Approx { rsqrt: true, scalar: false }, SSE),
        "sse.cmp.ss" => (Cmp { ty: F32, scalar: true, avx }, SSE),
        "sse.cmp.ps" => (Cmp { ty: F32, scalar: false, avx }, SSE),
        "sse.comieq.ss" | "sse.ucomieq.ss" => (Comi { ty: F32, pred: CmpPred::Eq }, SSE),
        "sse.comilt.ss" | "sse.ucomilt.ss" => (Comi { ty: F32, pred: CmpPred::Lt }, SSE),
        "sse.comile.ss" | "sse.ucomile.ss" => (Comi { ty: F32, pred: CmpPred::Le }, SSE),
        "sse.comigt.ss" | "sse.ucomigt.ss" => (Comi { ty: F32, pred: CmpPred::Gt }, SSE),
        "sse.comige.ss" | "sse.ucomige.ss" => (Comi { ty: F32, pred: CmpPred::Ge }, SSE),
        "sse.comineq.ss" | "sse.ucomineq.ss" => (Comi { ty: F32, pred: CmpPred::Ne }, SSE),
        "sse.cvtss2si" => (FloatToInt { ty: F32, out: 4, truncate: false }, SSE),
        "sse.cvttss2si" => (FloatToInt { ty: F32, out: 4, truncate: true }, SSE),
        "sse.cvtss2si64" => (FloatToInt { ty: F32, out: 8, truncate: false }, SSE),
        "sse.cvttss2si64" => (FloatToInt { ty: F32, out: 8, truncate: true }, SSE),
        "sse.sfence" => (Fence, SSE),
        // sse2
        "sse2.min.sd" => (MinMax { ty: F64, max: false, scalar: true }, SSE2),
        "sse2.max.sd" => (MinMax { ty: F64, max: true, scalar: true }, SSE2),
        "sse2.min.pd" => (MinMax { ty: F64, max: false, scalar: false }, SSE2),
        "sse2.max.pd" => (MinMax { ty: F64, max: true, scalar: false }, SSE2),
        "sse2.cmp.sd" => (Cmp { ty: F64, scalar: true, avx }, SSE2),
        "sse2.cmp.pd" => (Cmp { ty: F64, scalar: false, avx }, SSE2),
        "sse2.comieq.sd" | "sse2.ucomieq.sd" => (Comi { ty: F64, pred: CmpPred::Eq }, SSE2),
        "sse2.comilt.sd" | "sse2.ucomilt.sd" => (Comi { ty: F64, pred: CmpPred::Lt }, SSE2),
        "sse2.comile.sd" | "sse2.ucomile.sd" => (Comi { ty: F64, pred: CmpPred::Le }, SSE2),
        "sse2.comigt.sd" | "sse2.ucomigt.sd" => (Comi { ty: F64, pred: CmpPred::Gt }, SSE2),
        "sse2.comige.sd" | "sse2.ucomige.sd" => (Comi { ty: F64, pred: CmpPred::Ge }, SSE2),
        "sse2.comineq.sd" | "sse2.ucomineq.sd" => (Comi { ty: F64, pred: CmpPred::Ne }, SSE2),
        "sse2.cvtsd2si" => (FloatToInt { ty: F64, out: 4, truncate: false }, SSE2),
        "sse2.cvttsd2si" => (FloatToInt { ty: F64, out: 4, truncate: true }, SSE2),
        "sse2.cvtsd2si64" => (FloatToInt { ty: F64, out: 8, truncate: false }, SSE2),
        "sse2.cvttsd2si64" => (FloatToInt { ty: F64, out: 8, truncate: true }, SSE2),
        "sse2.cvtps2dq" => (FloatToInt { ty: F32, out: 4, truncate: false }, SSE2),
        "sse2.cvttps2dq" => (FloatToInt { ty: F32, out: 4, truncate: true }, SSE2),
        "sse2.cvtpd2dq" => (FloatToInt { ty: F64, out: 4, truncate: false }, SSE2),
        "sse2.cvttpd2dq" => (FloatToInt { ty: F64, out: 4, truncate: true }, SSE2),
        "sse2.cvtsd2ss" => (Cvtsd2ss, SSE2),
        "sse2.lfence" | "sse2.mfence" => (Fence, SSE2),
        "sse2.psad.bw" => (Psadbw, SSE2),
        "sse2.pmadd.wd" => (Pmaddwd, SSE2),
        "sse2.packsswb.128" => (Pack { from: 2, signed: true }, SSE2),
        "sse2.packuswb.128" => (Pack { from: 2, signed: false }, SSE2),
        "sse2.packssdw.128" => (Pack { from: 4, signed: true }, SSE2),
        "sse2.psll.w" | "avx2.psll.w" => (ShiftByScalar { elem: 2, kind: ShiftKind::Left }, sse2_or_avx2(rest)),
        "sse2.psll.d" | "avx2.psll.d" => (ShiftByScalar { elem: 4, kind: ShiftKind::Left }, sse2_or_avx2(rest)),
        "sse2.psll.q" | "avx2.psll.q" => (ShiftByScalar { elem: 8, kind: ShiftKind::Left }, sse2_or_avx2(rest)),
        "sse2.psrl.w" | "avx2.psrl.w" => (ShiftByScalar { elem: 2, kind: ShiftKind::RightLogical }, sse2_or_avx2(rest)),
        "sse2.psrl.d" | "avx2.psrl.d" => (ShiftByScalar { elem: 4, kind: ShiftKind::RightLogical }, sse2_or_avx2(rest)),
        "sse2.psrl.q" | "avx2.psrl.q" => (ShiftByScalar { elem: 8, kind: ShiftKind::RightLogical }, sse2_or_avx2(rest)),
        "sse2.psra.w" | "avx2.psra.w" => (ShiftByScalar { elem: 2, kind: ShiftKind::RightArith }, sse2_or_avx2(rest)),
        "sse2.psra.d" | "avx2.psra.d" => (ShiftByScalar { elem: 4, kind: ShiftKind::RightArith }, sse2_or_avx2(rest)),
        // sse3, ssse3
        "sse3.ldu.dq" => (Ldu, SSE3),
        "ssse3.pshuf.b.128" => (Pshufb, SSSE3),
        "ssse3.phadd.sw.128" => (HaddSatI16 { sub: false }, SSSE3),
        "ssse3.phsub.sw.128" => (HaddSatI16 { sub: true }, SSSE3),
        "ssse3.pmadd.ub.sw.128" => (Pmaddubsw, SSSE3),
        "ssse3.pmul.hr.sw.128" => (Pmulhrsw, SSSE3),
        "ssse3.psign.b.128" => (Psign { elem: 1 }, SSSE3),
        "ssse3.psign.w.128" => (Psign { elem: 2 }, SSSE3),
        "ssse3.psign.d.128" => (Psign { elem: 4 }, SSSE3),
        // sse4.1
        "sse41.insertps" => (Insertps, SSE41),
        "sse41.packusdw" => (Pack { from: 4, signed: false }, SSE41),
        "sse41.dpps" => (Dp { ty: F32 }, SSE41),
        "sse41.dppd" => (Dp { ty: F64 }, SSE41),
        "sse41.round.ss" => (Round { ty: F32, scalar: true }, SSE41),
        "sse41.round.sd" => (Round { ty: F64, scalar: true }, SSE41),
        "sse41.round.ps" => (Round { ty: F32, scalar: false }, SSE41),
        "sse41.round.pd" => (Round { ty: F64, scalar: false }, SSE41),
        "sse41.phminposuw" => (Phminposuw, SSE41),
        "sse41.mpsadbw" => (Mpsadbw, SSE41),
        "sse41.ptestz" => (Ptest { flag: TestFlag::Z }, SSE41),
        "sse41.ptestc" => (Ptest { flag: TestFlag::C }, SSE41),
        "sse41.ptestnzc" => (Ptest { flag: TestFlag::Nzc }, SSE41),
        // sse4.2
        "sse42.crc32.32.8" => (Crc32 { bits: 8 }, SSE42),
        "sse42.crc32.32.16" => (Crc32 { bits: 16 }, SSE42),
        "sse42.crc32.32.32" => (Crc32 { bits: 32 }, SSE42),
        "sse42.crc32.64.64" => (Crc32 { bits: 64 }, SSE42),
        s if s.starts_with("sse42.pcmp") => (str_cmp(&s["sse42.pcmp".len()..])?, SSE42),
        // avx
        "avx.min.ps.256" => (MinMax { ty: F32, max: false, scalar: false }, AVX),
        "avx.max.ps.256" => (MinMax { ty: F32, max: true, scalar: false }, AVX),
        "avx.min.pd.256" => (MinMax { ty: F64, max: false, scalar: false }, AVX),
        "avx.max.pd.256" => (MinMax { ty: F64, max: true, scalar: false }, AVX),
        "avx.round.ps.256" => (Round { ty: F32, scalar: false }, AVX),
        "avx.round.pd.256" => (Round { ty: F64, scalar: false }, AVX),
        "avx.rcp.ps.256" => (Approx { rsqrt: false, scalar: false }, AVX),
        "avx.rsqrt.ps.256" => (Approx { rsqrt: true, scalar: false }, AVX),
        "avx.dp.ps.256" => (Dp { ty: F32 }, AVX),
        "avx.cmp.ps.256" => (Cmp { ty: F32, scalar: false, avx }, AVX),
        "avx.cmp.pd.256" => (Cmp { ty: F64, scalar: false, avx }, AVX),
        "avx.cvt.ps2dq.256" => (FloatToInt { ty: F32, out: 4, truncate: false }, AVX),
        "avx.cvtt.ps2dq.256" => (FloatToInt { ty: F32, out: 4, truncate: true }, AVX),
        "avx.cvt.pd2dq.256" => (FloatToInt { ty: F64, out: 4, truncate: false }, AVX),
        "avx.cvtt.pd2dq.256" => (FloatToInt { ty: F64, out: 4, truncate: true }, AVX),
        "avx.vpermilvar.ps" | "avx.vpermilvar.ps.256" => (Vpermilvar { ty: F32 }, AVX),
        "avx.vpermilvar.pd" | "avx.vpermilvar.pd.256" => (Vpermilvar { ty: F64 }, AVX),
        "avx.ldu.dq.256" => (Ldu, AVX),
        "avx.ptestz.256" => (Ptest { flag: TestFlag::Z }, AVX),
        "avx.ptestc.256" => (Ptest { flag: TestFlag::C }, AVX),
        "avx.ptestnzc.256" => (Ptest { flag: TestFlag::Nzc }, AVX),
        "avx.vtestz.ps" | "avx.vtestz.ps.256" => (TestSign { elem: 4, flag: TestFlag::Z }, AVX),
        "avx.vtestc.ps" | "avx.vtestc.ps.256" => (TestSign { elem: 4, flag: TestFlag::C }, AVX),
        "avx.vtestnzc.ps" | "avx.vtestnzc.ps.256" => (TestSign { elem: 4, flag: TestFlag::Nzc }, AVX),
        "avx.vtestz.pd" | "avx.vtestz.pd.256" => (TestSign { elem: 8, flag: TestFlag::Z }, AVX),
        "avx.vtestc.pd" | "avx.vtestc.pd.256" => (TestSign { elem: 8, flag: TestFlag::C }, AVX),
        "avx.vtestnzc.pd" | "avx.vtestnzc.pd.256" => (TestSign { elem: 8, flag: TestFlag::Nzc }, AVX),
        "avx.vzeroupper" | "avx.vzeroall" => (Nop, AVX),
        // avx2
        "avx2.phadd.sw" => (HaddSatI16 { sub: false }, AVX2),
        "avx2.phsub.sw" => (HaddSatI16 { sub: true }, AVX2),
        "avx2.pmadd.ub.sw" => (Pmaddubsw, AVX2),
        "avx2.pmadd.wd" => (Pmaddwd, AVX2),
        "avx2.mpsadbw" => (Mpsadbw, AVX2),
        "avx2.pmul.hr.sw" => (Pmulhrsw, AVX2),
        "avx2.packsswb" => (Pack { from: 2, signed: true }, AVX2),
        "avx2.packuswb" => (Pack { from: 2, signed: false }, AVX2),
        "avx2.packssdw" => (Pack { from: 4, signed: true }, AVX2),
        "avx2.packusdw" => (Pack { from: 4, signed: false }, AVX2),
        "avx2.permd" | "avx2.permps" => (Permute { elem: 4 }, AVX2),
        "avx2.psad.bw" => (Psadbw, AVX2),
        "avx2.pshuf.b" => (Pshufb, AVX2),
        "avx2.psign.b" => (Psign { elem: 1 }, AVX2),
        "avx2.psign.w" => (Psign { elem: 2 }, AVX2),
        "avx2.psign.d" => (Psign { elem: 4 }, AVX2),
        s if s.starts_with("avx2.gather.") => {
            let idx = match &s["avx2.gather.".len()..s.len().min("avx2.gather.".len() + 1)] {
                "d" => 4,
                "q" => 8,
                _ => return None,
            };
            let elem = match s["avx2.gather.x.".len()..].trim_end_matches(".256") {
                "d" | "ps" => 4,
                "q" | "pd" => 8,
                _ => return None,
            };
            (Gather { idx, elem }, AVX2)
        }
        // avx512
        // Bitwise: the lane size (d, q) does not matter.
        "avx512.pternlog.d.512" | "avx512.pternlog.q.512" => (Pternlog, F),
        "avx512.pternlog.d.128" | "avx512.pternlog.d.256" | "avx512.pternlog.q.128" | "avx512.pternlog.q.256" => (Pternlog, FVL),
        "avx512.psad.bw.512" => (Psadbw, BW),
        "avx512.pmaddw.d.512" => (Pmaddwd, BW),
        "avx512.pmaddubs.w.512" => (Pmaddubsw, NONE),
        "avx512.permvar.si.512" => (Permute { elem: 4 }, NONE),
        "avx512.permvar.di.512" => (Permute { elem: 8 }, NONE),
        "avx512.vpermi2var.q.512" => (Permute2 { elem: 8 }, NONE),
        "avx512.vpermi2var.qi.512" => (Permute2 { elem: 1 }, &["avx512vbmi"]),
        "avx512.pshuf.b.512" => (Pshufb, NONE),
        "avx512.vpdpbusd.512" => (Vpdpbusd, VNNI),
        "avx512.vpdpbusd.128" | "avx512.vpdpbusd.256" => (Vpdpbusd, VNNIVL),
        "avx512.packsswb.512" => (Pack { from: 2, signed: true }, BW),
        "avx512.packuswb.512" => (Pack { from: 2, signed: false }, BW),
        "avx512.packssdw.512" => (Pack { from: 4, signed: true }, BW),
        "avx512.packusdw.512" => (Pack { from: 4, signed: false }, BW),
        // aes, vaes
        "aesni.aesenc" | "aesni.aesenc.256" | "aesni.aesenc.512" => (Aes(AesOp::Enc), AES),
        "aesni.aesenclast" | "aesni.aesenclast.256" | "aesni.aesenclast.512" => (Aes(AesOp::EncLast), AES),
        "aesni.aesdec" | "aesni.aesdec.256" | "aesni.aesdec.512" => (Aes(AesOp::Dec), AES),
        "aesni.aesdeclast" | "aesni.aesdeclast.256" | "aesni.aesdeclast.512" => (Aes(AesOp::DecLast), AES),
        "aesni.aesimc" => (Aes(AesOp::Imc), AES),
        "aesni.aeskeygenassist" => (Aes(AesOp::KeyGenAssist), AES),
        // pclmulqdq, vpclmulqdq
        "pclmulqdq" => (Pclmulqdq, &["pclmulqdq"]),
        "pclmulqdq.256" => (Pclmulqdq, &["pclmulqdq", "vpclmulqdq"]),
        "pclmulqdq.512" => (Pclmulqdq, &["pclmulqdq", "vpclmulqdq", "avx512f"]),
        // sha
        "sha256rnds2" => (Sha256Rnds2, SHA),
        "sha256msg1" => (Sha256Msg1, SHA),
        "sha256msg2" => (Sha256Msg2, SHA),
        // gfni
        "vgf2p8affineqb.128" => (Gf2p8Affine { inverse: false }, &["gfni"]),
        "vgf2p8affineqb.256" => (Gf2p8Affine { inverse: false }, &["gfni", "avx"]),
        "vgf2p8affineqb.512" => (Gf2p8Affine { inverse: false }, &["gfni", "avx512f"]),
        "vgf2p8affineinvqb.128" => (Gf2p8Affine { inverse: true }, &["gfni"]),
        "vgf2p8affineinvqb.256" => (Gf2p8Affine { inverse: true }, &["gfni", "avx"]),
        "vgf2p8affineinvqb.512" => (Gf2p8Affine { inverse: true }, &["gfni", "avx512f"]),
        "vgf2p8mulb.128" => (Gf2p8Mul, &["gfni"]),
        "vgf2p8mulb.256" => (Gf2p8Mul, &["gfni", "avx"]),
        "vgf2p8mulb.512" => (Gf2p8Mul, &["gfni", "avx512f"]),
        // bmi1, bmi2
        "bmi.bextr.32" | "bmi.bextr.64" => (Bextr, &["bmi1"]),
        "bmi.bzhi.32" | "bmi.bzhi.64" => (Bzhi, &["bmi2"]),
        "bmi.pext.32" | "bmi.pext.64" => (Pext, &["bmi2"]),
        "bmi.pdep.32" | "bmi.pdep.64" => (Pdep, &["bmi2"]),
        _ => return None,
    };
    Some(X86Intrinsic { op, features })
}

/// The shifts exist as `sse2.*` and `avx2.*`.
fn sse2_or_avx2(rest: &str) -> &'static [&'static str] {
    if rest.starts_with("avx2.") { &["avx2"] } else { &["sse2"] }
}

/// `pcmp{e,i}str{i,m,ia,ic,io,is,iz}128`, after `pcmp`.
fn str_cmp(s: &str) -> Option<X86Op> {
    let (explicit, s) = if let Some(s) = s.strip_prefix("estr") { (true, s) } else { (false, s.strip_prefix("istr")?) };
    let result = match s.strip_suffix("128")? {
        "i" => StrResult::Index,
        "m" => StrResult::Mask,
        "ia" => StrResult::A,
        "ic" => StrResult::C,
        "io" => StrResult::O,
        "is" => StrResult::S,
        "iz" => StrResult::Z,
        _ => return None,
    };
    Some(X86Op::StrCmp { explicit, result })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve() {
        assert!(matches!(x86_intrinsic("llvm.x86.sse.min.ss", false).unwrap().op, X86Op::MinMax { max: false, scalar: true, .. }));
        assert_eq!(x86_intrinsic("llvm.x86.pclmulqdq.512", false).unwrap().features, &["pclmulqdq", "vpclmulqdq", "avx512f"]);
        assert!(matches!(x86_intrinsic("llvm.x86.avx2.gather.q.pd.256", false).unwrap().op, X86Op::Gather { idx: 8, elem: 8 }));
        assert!(matches!(
            x86_intrinsic("llvm.x86.sse42.pcmpestric128", false).unwrap().op,
            X86Op::StrCmp { explicit: true, result: StrResult::C }
        ));
        assert!(matches!(x86_intrinsic("llvm.ctpop.v8i64", false).unwrap().op, X86Op::Ctpop { elem: 8 }));
        assert!(x86_intrinsic("llvm.x86.sse.stmxcsr", false).is_none());
        assert!(x86_intrinsic("llvm.x86.avx2.gather.z.d", false).is_none());
    }
}
