//! What the unit tests of the lowering's passes build their functions from.

use std::sync::Arc;

use crate::{Inst, RefKind, RetagMode, Unobserved, VCheck, Validity};

/// `ValidateRefReg` of the thin reference in register `reg` to a pointee of `size` bytes
/// (aligned to 8), of `kind`, retagged as `mode`, not nullable, not marked.
pub(crate) fn ref_retag(reg: u32, kind: RefKind, size: u32, mode: RetagMode) -> Inst {
    let check =
        VCheck::Ref { offset: 0, align: 8, size: Some(size), is_box: false, kind, unsized_layout: None, cells: None, may_dangle: false };
    Inst::ValidateRefReg {
        reg,
        validity: Arc::new(Validity { size: 8, checks: vec![check] }),
        nullable: false,
        unobserved: Unobserved::No,
        retag: mode,
    }
}
