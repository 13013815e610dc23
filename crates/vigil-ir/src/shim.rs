//! Operations the machine implements itself: intrinsics (foreign functions are in `foreign.rs`).
//! The frontend picks the variant (with the sizes it needs) once, at lowering time.

use crate::{FloatTy, IntTy};

/// Layout of a possibly-unsized type, for `size_of_val`/`align_of_val` and drop glue.
#[derive(Clone, Copy, Debug)]
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

/// Lane-wise SIMD operations (integer lanes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdOp {
    Splat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Xor,
    Add,
    Sub,
    Mul,
    /// Lane-wise shifts; a shift by the lane's width or more is undefined behavior.
    Shl,
    /// Arithmetic for signed lanes, logical for unsigned ones.
    Shr,
    /// One bit per lane (the lane's sign bit), lane 0 in bit 0.
    Bitmask,
    ReduceOr,
    ReduceAnd,
    ReduceAny,
    ReduceAll,
    /// Lanes of the concatenation of both inputs, picked by the u32 indices of the third
    /// argument; `lanes` is the input lane count, the output has as many lanes as indices.
    Shuffle,
}

#[derive(Clone, Debug)]
pub enum Intrinsic {
    /// A SIMD operation on vectors of `lanes` integer lanes of `elem` (results in `out` lanes).
    Simd {
        op: SimdOp,
        lanes: u32,
        elem: IntTy,
        out: IntTy,
    },
    CopyNonOverlapping {
        elem_size: u64,
    },
    Copy {
        elem_size: u64,
    },
    WriteBytes {
        elem_size: u64,
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
    Unreachable,
    Assume,
    CatchUnwind,
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
