//! Operations the machine implements itself: intrinsics (foreign functions are in `foreign.rs`).
//! The frontend picks the variant (with the sizes it needs) once, at lowering time.

use crate::{BinOp, FloatTy, IntTy, ScalarTy};

/// Layout of a possibly-unsized type, for `size_of_val`/`align_of_val` and drop glue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynLayout {
    Sized {
        size: u64,
        align: u64,
    },
    /// A sized header followed by `len` elements.
    Slice {
        header: u64,
        elem_size: u64,
        align: u64,
    },
    /// A sized header followed by a trait object (size and alignment from the vtable; the
    /// alignment capped at `pack` inside a `repr(packed)` struct, `u64::MAX` otherwise).
    Dyn {
        header: u64,
        align: u64,
        pack: u64,
    },
}

/// The run-time part of an unsized value's layout, from its pointer's metadata.
#[derive(Clone, Copy, Debug)]
pub enum DynMeta {
    /// A slice's length.
    Len(u64),
    /// A vtable's size and alignment entries.
    Vtable { size: u64, align: u64 },
}

impl DynLayout {
    /// The value's size and alignment (`None`: the size overflows). Sizes are rounded up to
    /// the alignment, and a `dyn` tail starts at its (packing-capped) alignment.
    #[inline(always)]
    pub fn size_align(self, meta: DynMeta) -> Option<(u64, u64)> {
        match (self, meta) {
            (DynLayout::Sized { size, align }, _) => Some((size, align)),
            (DynLayout::Slice { header, elem_size, align }, DynMeta::Len(len)) => {
                let size = len.checked_mul(elem_size)?.checked_add(header)?;
                Some((size.checked_next_multiple_of(align.max(1))?, align))
            }
            (DynLayout::Dyn { header, align, pack }, DynMeta::Vtable { size, align: dalign }) => {
                let dalign = dalign.min(pack).max(1);
                let a = align.max(dalign);
                let size = header.checked_next_multiple_of(dalign)?.checked_add(size)?;
                Some((size.checked_next_multiple_of(a)?, a))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatUnOp {
    Sqrt,
    Floor,
    Ceil,
    Trunc,
    Round,
    RoundTiesEven,
    Abs,
    Sin,
    Cos,
    Exp,
    Exp2,
    Ln,
    Log10,
    Log2,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatBinOp {
    Copysign,
    Pow,
    Min,
    Max,
    Minimum,
    Maximum,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// The memory ordering of an atomic access or fence (the intrinsic's `ORD` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOrd {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

impl AtomicOrd {
    /// Whether the ordering has acquire semantics (for loads and read-modify-writes).
    pub fn acquires(self) -> bool {
        matches!(self, AtomicOrd::Acquire | AtomicOrd::AcqRel | AtomicOrd::SeqCst)
    }
    /// Whether the ordering has release semantics (for stores and read-modify-writes).
    pub fn releases(self) -> bool {
        matches!(self, AtomicOrd::Release | AtomicOrd::AcqRel | AtomicOrd::SeqCst)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOp {
    Xchg,
    Add,
    Sub,
    And,
    Nand,
    Or,
    Xor,
    Max,
    Min,
}

/// The element type of a SIMD vector's lanes (f16/f128 lanes are not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneTy {
    Int(IntTy),
    Float(FloatTy),
    /// A thin raw pointer (its provenance stays with the lane).
    Ptr,
}

impl LaneTy {
    /// Size in bytes (also the alignment, on the supported target).
    pub fn size(self) -> u32 {
        match self {
            LaneTy::Int(t) => t.size as u32,
            LaneTy::Float(FloatTy::F32) => 4,
            LaneTy::Float(FloatTy::F64) | LaneTy::Ptr => 8,
        }
    }

    /// The scalar type the lane's arithmetic is done in.
    pub fn scalar(self) -> ScalarTy {
        match self {
            LaneTy::Int(t) => ScalarTy::Int(t),
            LaneTy::Float(f) => ScalarTy::Float(f),
            LaneTy::Ptr => ScalarTy::Ptr,
        }
    }
}

/// One SIMD intrinsic call, decided at lowering: `lanes` lanes of `elem` describe its main
/// vector (the first vector argument; the result for `Splat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimdCall {
    pub op: SimdOp,
    pub lanes: u32,
    pub elem: LaneTy,
}

/// Whether a lane index is a constant of the program (`simd_extract`) or a run-time value
/// (`simd_extract_dyn`); only the name in reports differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexForm {
    Const,
    Dyn,
}

/// Integer bit-counting and bit-moving operations (scalar intrinsics and their lane-wise forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntUnOp {
    Ctpop,
    Ctlz,
    Cttz,
    Bswap,
    Bitreverse,
}

/// The lane-wise casts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdCastKind {
    /// `simd_cast`: numeric; a float that does not fit the integer lane is UB.
    Unchecked,
    /// `simd_as`: numeric, float-to-integer saturating (as `as`).
    Saturating,
    /// `simd_cast_ptr`: pointer to pointer, provenance kept.
    Ptr,
    /// `simd_expose_provenance`: pointer to address, exposing the provenance.
    ExposeProvenance,
    /// `simd_with_exposed_provenance`: address to pointer with exposed provenance.
    WithExposedProvenance,
}

/// The folds of `simd_reduce_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdReduce {
    /// `simd_reduce_{add,mul}_ordered` (`init` is argument 1: `Ordered`) and `_unordered`
    /// (folded in order from lane 0: one of the orders allowed).
    Add(ReduceOrder),
    Mul(ReduceOrder),
    Min,
    Max,
    And,
    Or,
    Xor,
    /// Mask reductions to `bool`: each lane must be 0 or all ones.
    Any,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOrder {
    Ordered,
    Unordered,
}

/// SIMD operations; lane loops are the machine's, lane counts and types the lowering's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdOp {
    /// Every lane is the scalar argument.
    Splat,
    /// Lane `idx` (argument 1) of the vector; out of bounds is UB.
    Extract(IndexForm),
    /// The vector with lane `idx` (argument 1) replaced by argument 2; out of bounds is UB.
    Insert(IndexForm),
    /// Lane-wise negation (integers wrap).
    Neg,
    FloatUn(FloatUnOp),
    IntUn(IntUnOp),
    /// Lane-wise binary operation as the scalar one (integer division UB included); the
    /// shifts are `ShlUnchecked`/`ShrUnchecked` (UB when too far); comparisons give a mask
    /// vector (lanes of the result's lane size, all ones for true).
    Bin(BinOp),
    /// `simd_{minimum,maximum}_number_nsz`: `FloatBinOp::Min`/`Max`.
    FloatBin(FloatBinOp),
    /// `simd_saturating_{add,sub}`: `BinOp::Add`/`Sub`.
    Saturating(BinOp),
    /// `simd_funnel_{shl,shr}` (a shift by the lane width or more is UB).
    FunnelShl,
    FunnelShr,
    /// Carry-less multiplication, truncated to the lane.
    CarrylessMul,
    /// `simd_fma` (fused).
    Fma,
    /// `simd_relaxed_fma`: each lane fused or not, chosen at random.
    RelaxedFma,
    /// `simd_arith_offset`: pointer lanes moved by `count * elem_size` bytes, wrapping.
    ArithOffset {
        elem_size: u32,
    },
    Reduce(SimdReduce),
    /// Mask lanes (argument 0, integers of `mask`) pick `if_true` or `if_false`.
    Select {
        mask: IntTy,
    },
    /// Bits of an integer or byte array (argument 0) pick `if_true` or `if_false`.
    SelectBitmask,
    /// One bit per mask lane, lane 0 in bit 0 (the result is an integer or a byte array).
    Bitmask,
    /// Lanes of the concatenation of both inputs, picked by the u32 indices of argument 2;
    /// the result has as many lanes as indices.
    Shuffle,
    Cast {
        kind: SimdCastKind,
        to: LaneTy,
    },
    /// Reads through a vector of pointers (argument 1) where the mask (argument 2) says so,
    /// else the lane of argument 0.
    Gather {
        mask: IntTy,
    },
    /// Writes lane by lane through a vector of pointers (argument 1) where the mask says so.
    Scatter {
        mask: IntTy,
    },
    /// Reads consecutive elements from a pointer (argument 1) where the mask (argument 0)
    /// says so, else the lane of argument 2; the pointer must be aligned to `align`.
    MaskedLoad {
        mask: IntTy,
        align: u32,
    },
    /// Writes the lanes of argument 2 to consecutive elements from a pointer (argument 1)
    /// where the mask (argument 0) says so; the pointer must be aligned to `align`.
    MaskedStore {
        mask: IntTy,
        align: u32,
    },
}

#[derive(Clone, Debug)]
pub enum Intrinsic {
    /// A SIMD operation (see `SimdCall`).
    Simd(Box<SimdCall>),
    /// Copies of `count` elements; both pointers need the element's alignment (even for
    /// zero elements).
    CopyNonOverlapping {
        elem_size: u64,
        elem_align: u64,
    },
    Copy {
        elem_size: u64,
        elem_align: u64,
    },
    WriteBytes {
        elem_size: u64,
        elem_align: u64,
    },
    Load {
        size: u32,
    },
    Store {
        size: u32,
    },
    SizeOfVal(DynLayout),
    AlignOfVal(DynLayout),
    Ctpop(IntTy),
    Ctlz(IntTy),
    Cttz(IntTy),
    /// `ctlz_nonzero`/`cttz_nonzero`: UB on 0.
    CtlzNonzero(IntTy),
    CttzNonzero(IntTy),
    Bswap(IntTy),
    Bitreverse(IntTy),
    RotateLeft(IntTy),
    RotateRight(IntTy),
    ExactDiv(IntTy),
    UncheckedDiv(IntTy),
    UncheckedRem(IntTy),
    SaturatingAdd(IntTy),
    SaturatingSub(IntTy),
    WrappingAdd(IntTy),
    WrappingSub(IntTy),
    WrappingMul(IntTy),
    ThreeWayCompare(IntTy),
    DisjointBitor(IntTy),
    PtrOffsetFrom {
        elem_size: u64,
        unsigned: bool,
    },
    ArithOffset {
        elem_size: u64,
    },
    PtrGuaranteedCmp,
    PtrMask,
    Abort,
    /// A debugger trap: the program ends (as a native one would with SIGTRAP).
    Breakpoint,
    /// `va_arg::<T>(ap)` for a `T` of `size` bytes.
    VaArg {
        size: u32,
    },
    /// `va_copy(ap)`.
    VaCopy,
    /// `va_end(ap)`.
    VaEnd,
    Unreachable,
    Assume,
    /// `catch_unwind(try_fn, data, catch_fn)`, with the signatures the two callbacks are
    /// called with (checked against the functions they point to).
    CatchUnwind {
        try_sig: crate::SigId,
        catch_sig: crate::SigId,
    },
    /// Return the first argument unchanged (black_box, ptr metadata helpers...).
    Identity {
        size: u32,
    },
    /// Returns nothing, does nothing (hints).
    Nop,
    RawEq {
        size: u64,
    },
    CompareBytes,
    AtomicLoad {
        size: u32,
        ord: AtomicOrd,
    },
    AtomicStore {
        size: u32,
        ord: AtomicOrd,
    },
    AtomicRmw {
        op: AtomicOp,
        ty: IntTy,
        ord: AtomicOrd,
    },
    /// Compare-exchange; `weak` ones may fail spuriously.
    AtomicCxchg {
        ty: IntTy,
        success: AtomicOrd,
        failure: AtomicOrd,
        weak: bool,
    },
    /// `atomic_fence`; compiler (single-thread) fences are `Nop`.
    Fence(AtomicOrd),
    FloatUn {
        op: FloatUnOp,
        ty: FloatTy,
    },
    FloatBin {
        op: FloatBinOp,
        ty: FloatTy,
    },
    /// `fadd_fast` and its siblings: UB when an operand or the result is not finite.
    FloatFast {
        op: FloatBinOp,
        ty: FloatTy,
    },
    /// `float_to_int_unchecked`: UB when the value, truncated, does not fit `to`.
    FloatToIntUnchecked {
        from: FloatTy,
        to: IntTy,
    },
    Fma(FloatTy),
    /// `fmuladd`: fused or not, chosen at random (it is unspecified which).
    MulAdd(FloatTy),
    Powi(FloatTy),
    CallerLocation,
    /// `ptr::align_offset` (the lang item): with symbolic alignment only what the allocation
    /// guarantees counts, so it may answer "impossible" (`usize::MAX`).
    AlignOffset {
        elem_size: u64,
    },
    /// `ptr::read_via_copy`-style: load `size` bytes from the pointer argument.
    ReadViaCopy {
        size: u32,
    },
    /// `ptr::write_via_move`: store the second argument through the first.
    WriteViaMove {
        size: u32,
    },
    /// A bool the interpreter chooses at random (seeded), where the program may not rely on
    /// either answer (`is_val_statically_known`).
    NondetBool,
    /// An x86 vendor intrinsic (`llvm.x86.*`, see `x86.rs`), with its link name for reports.
    X86 {
        op: crate::X86Op,
        name: Box<str>,
    },
}
