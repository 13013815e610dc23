//! Vigil's executable form: monomorphized functions lowered to flat instruction arrays
//! with every size, offset, call target and type check decided ahead of execution.
//!
//! Architecture invariant: nothing here refers to rustc. The frontend (vigil-driver)
//! produces these values once per instance; the machine (vigil-machine) only reads them.

mod bounds;
mod chain;
mod consts;
mod copies;
mod dataflow;
mod elide;
mod eval;
mod foreign;
mod function;
mod inline;
mod inst;
mod into_callee;
mod liveness;
mod promote;
mod shim;
#[cfg(test)]
mod test_util;
mod types;
mod validated;
mod validity;
mod x86;

pub use bounds::{RegisterOutOfFrame, TargetOutOfCode, check_register_bounds, for_each_register, seal_code};
pub use chain::mark_reborrow_chains;
pub use consts::fold_constants;
pub use copies::{propagate_copies, propagate_copies_and_constants};
pub use elide::mark_unobserved_retags;
pub use eval::{in_wrapping_range, int_cast, int_op, un_op};
pub use foreign::{
    AllocShim, BorrowDebugShim, CType, EnvShim, FdShim, ForeignShim, FsShim, LibcShim, LibmFn, NetShim, ProcessShim, RuntimeShim,
    Signature, SyncShim, ThreadShim, TimeShim,
};
pub use function::{Function, LocalSlot, NOT_THIN, Param, WIDE_DEREF};
pub use inline::{
    InlinePolicy, Inlined, MAX_INLINED_LEN, MAX_INLINED_LEN_FOR_LOCALS, MAX_INLINED_LEN_FOR_LOCALS_SB, PassedRef, forward_empty_cleanups,
    inline_calls, inline_calls_within, set_site_spans,
};
pub use inst::{
    BinOp, Callee, CastOp, ConstId, InlineEnd, Inst, IntOp, IrField, Label, MetaSource, Opcode, Operand, Place, PlaceBase, PlaceId, Proj,
    RefVisitor, ScalarCheck, UnOp, UnsizeStep, Unwind,
};
pub use into_callee::{INTO_CALLEE_BLOCK_ENDS, mark_retags_into_callee, retags_receiver_first};
pub use liveness::{LiveAfterCalls, live_after_calls};
pub use promote::promote_locals;
pub use shim::{
    AtomicOp, AtomicOrd, DynLayout, DynMeta, FloatBinOp, FloatUnOp, IndexForm, IntUnOp, Intrinsic, LaneTy, ReduceOrder, SimdCall,
    SimdCastKind, SimdOp, SimdReduce,
};
pub use types::{DiscrInfo, DiscrKind, FloatTy, IntTy, ScalarTy};
pub use validated::remove_repeated_validations;
pub use validity::{Expected, RefKind, RetagMode, TyName, Unobserved, VCheck, Validity};
pub use x86::{AesOp, CmpPred, ShiftKind, StrResult, TestFlag, X86Intrinsic, X86Op, x86_intrinsic};

/// A lowered function instance, numbered by the frontend in first-seen order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FnId(pub u32);

/// An interned call signature at the ABI level (see the driver's `lower/abi.rs`); functions
/// and calls through fn pointers carry one, and a call whose signature differs from its
/// callee's asks the frontend whether the two are compatible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SigId(pub u32);

impl SigId {
    /// Not known (never compared).
    pub const UNKNOWN: SigId = SigId(0);
}

/// An allocation in the machine's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AllocId(pub u32);

/// A source location known to the frontend (rendered by it in reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SpanId(pub u32);

/// A constant value: its bytes (pointers already hold absolute addresses) and the
/// provenance of each pointer inside it, as (byte offset, allocation).
#[derive(Clone, Debug, Default)]
pub struct ConstValue {
    pub bytes: Box<[u8]>,
    pub prov: Box<[(u32, AllocId)]>,
}

impl ConstValue {
    /// Its first `size` bytes (1 to 8) as an integer (little-endian, zero-extended), if it
    /// has them and no provenance.
    pub fn int(&self, size: u32) -> Option<u64> {
        if !self.prov.is_empty() || self.bytes.len() < size as usize || !(1..=8).contains(&size) {
            return None;
        }
        let mut word = [0u8; 8];
        word[..size as usize].copy_from_slice(&self.bytes[..size as usize]);
        Some(u64::from_le_bytes(word))
    }
}
