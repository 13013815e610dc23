//! Chains of reborrows: a reference reborrowed whole at once by another retag.
//!
//! Inlined accessors nest reborrows: `index_mut` on a range reborrows `&mut *r` through
//! each layer (`get_unchecked_mut`, `from_raw_parts_mut`, the return), so one call makes a
//! chain of `&mut` retags, each tag used for nothing but deriving the next one from it, one
//! after the other with only the reborrow's address computed between them. No pointer
//! holds a link's tag once the next retag is made, so the next tag, derived from the link's
//! parent instead, behaves the same:
//!
//! - Stacked Borrows: the link's `Unique` item sits right below the next one's, and nothing
//!   ever comes between them. Nothing removes the link's item without removing the next
//!   one's too: a write or a read through anything below the link removes or disables both
//!   `Unique` items, and no access goes through the link itself.
//! - Tree Borrows: the link is an unprotected `Reserved` node whose only child is the next
//!   tag's node, `Reserved` too (or `Frozen`, for a shared reborrow) on the same bytes (the
//!   same pointee, so the same range and the same permission beyond it), made with nothing
//!   between their creations. Both see every access the same way: through the child or
//!   below it, a child access of both; through anything else, a foreign access of both. So
//!   a `Reserved` child goes through the link's states, and a `Frozen` one never permits
//!   more than the link (it refuses every write; a foreign read keeps both, a foreign write
//!   disables both): the child, nearer any access, refuses first whatever the link would
//!   refuse.
//!
//! A shared reference reborrowed whole by another shared one is a link under Stacked
//! Borrows too: its `SharedReadOnly` item, right below the next one's, is removed only by a
//! write through something below it, which removes the next one as well.
//!
//! The link then keeps its parent's tag (`Unobserved::Alone`): the machine makes the
//! link's access through the parent (a write under Stacked Borrows, a read under Tree
//! Borrows), so that a parent that forbids it is reported where the reference interpreter
//! reports it, and numbers a tag all the same.
//!
//! A link is accepted only when the reborrow that follows it is a full retag or a link
//! itself (marked here), so that every chain ends in a tag of its own: the functions are
//! searched from their end.

use crate::elide::ref_kind;
use crate::into_callee::{Between, reborrowed_whole};
use crate::{Function, Inst, RefKind, RetagMode, Unobserved, VCheck, Validity};

/// Marks every default `&mut` retag of `f` (and under Stacked Borrows every default shared
/// one) whose reference is, through register instructions alone, reborrowed whole
/// (`&mut *r`, or `&*r`) by a default retag of the same pointee that makes a tag of its own
/// or is marked here, and dead after that reborrow (`Unobserved::Alone`); returns how many
/// it marked. `tree_borrows`: the aliasing model is Tree Borrows, where the end of an
/// inlined callee's protectors accesses memory. Run once the function's calls are inlined
/// and the other passes (`mark_unobserved_retags`, `mark_retags_into_callee`) have marked
/// its retags: a reborrow left unmarked then makes a tag of its own.
pub fn mark_reborrow_chains(f: &mut Function, tree_borrows: bool) -> usize {
    let mut links = vec![false; f.code.len()];
    let mut marked = 0;
    for pc in (0..f.code.len()).rev() {
        let Inst::ValidateRefReg { reg, validity, nullable: false, unobserved: Unobserved::No, retag: RetagMode::Default } = &f.code[pc]
        else {
            continue;
        };
        let shared = match ref_kind(validity) {
            Some(RefKind::Mut { unpin: true }) => false,
            // (Under Tree Borrows a shared link would be sound as well, its `Frozen` node
            // going through its child's states; measured, the accesses made through the
            // parent's tag instead cost more than the retags saved.)
            Some(RefKind::Shared { freeze: true }) if !tree_borrows => true,
            _ => continue,
        };
        if reborrowed_by_full_retag(f, pc, *reg as u64, validity, shared, &links, tree_borrows) {
            let Inst::ValidateRefReg { unobserved, .. } = &mut f.code[pc] else { unreachable!() };
            *unobserved = Unobserved::Alone;
            links[pc] = true;
            marked += 1;
        }
    }
    marked
}

/// Whether the reference at register `reg` (a `&mut`, or a shared one: `shared`), retagged
/// at `pc` with `validity`, is only reborrowed whole by a default retag (of a `&mut` unless
/// `shared`, or of a shared reference) of the same pointee that is full (unmarked) or a
/// link (`links`), and dead after that reborrow. In between, only register instructions,
/// checks of the reference with no retag, the start or end of locals' storage (other
/// allocations: a reference into one that ends is refused by the reborrow either way), and
/// the end of the inlined callee that returns the reference (under Tree Borrows not one
/// whose protectors end) may come.
fn reborrowed_by_full_retag(
    f: &Function,
    pc: usize,
    reg: u64,
    validity: &Validity,
    shared: bool,
    links: &[bool],
    tree_borrows: bool,
) -> bool {
    let between = Between::ChecksAndReturns { protectors_end: !tree_borrows };
    reborrowed_whole(f, pc, reg, validity.size, between, |at, inst| {
        let Inst::ValidateRefReg { validity: v, nullable: false, unobserved, retag: RetagMode::Default, .. } = inst else { return false };
        (*unobserved == Unobserved::No || links[at])
            && match ref_kind(v) {
                Some(RefKind::Shared { freeze: true }) => true,
                Some(RefKind::Mut { unpin: true }) => !shared,
                _ => false,
            }
            && same_pointee(validity, v)
    })
}

/// Whether two reference validities (thin or slice, `ref_kind`) have the same pointee
/// layout: a whole reborrow of the same place.
fn same_pointee(a: &Validity, b: &Validity) -> bool {
    match (a.checks.first(), b.checks.first()) {
        (
            Some(VCheck::Ref { size: sa, unsized_layout: la, align: aa, .. }),
            Some(VCheck::Ref { size: sb, unsized_layout: lb, align: ab, .. }),
        ) => a.size == b.size && sa == sb && la == lb && aa == ab,
        _ => false,
    }
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
