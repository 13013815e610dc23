//! Tree Borrows permissions: the state of one tag at one byte and how accesses change it.

use crate::borrows::stacked::AccessKind;

/// A tag's permission at one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TbPerm {
    /// Inside an `UnsafeCell` behind a shared reference: every access is allowed.
    Cell,
    /// A `&mut` not written yet; `conflicted` once a foreign read happened while protected.
    Reserved { conflicted: bool },
    /// A `&mut` to interior-mutable bytes, not written yet: tolerates foreign writes.
    ReservedIm,
    /// Written through: unique.
    Unique,
    /// Read-only.
    Frozen,
    /// No access allowed.
    Disabled,
}

impl TbPerm {
    pub fn name(self) -> &'static str {
        match self {
            TbPerm::Cell => "Cell",
            TbPerm::Reserved { conflicted: false } => "Reserved",
            TbPerm::Reserved { conflicted: true } => "Reserved (conflicted)",
            TbPerm::ReservedIm => "Reserved (interior mutable)",
            TbPerm::Unique => "Unique",
            TbPerm::Frozen => "Frozen",
            TbPerm::Disabled => "Disabled",
        }
    }

    /// Which foreign accesses would change a byte in this state (bit 0: a read, bit 1: a
    /// write): a read changes `Unique` and a protected `Reserved`; a write changes
    /// everything but `Disabled`, `Cell` and an unprotected `Reserved (interior mutable)`.
    #[inline]
    pub(super) fn loud_bits(self, protected: bool) -> u8 {
        use TbPerm::*;
        match (self, protected) {
            (Unique, _) | (Reserved { conflicted: false }, true) => 0b11,
            (Disabled | Cell, _) | (ReservedIm, false) => 0,
            _ => 0b10,
        }
    }

    /// The access a new tag's bytes in this state imply through the parent at the retag.
    pub(super) fn implies_read(self) -> bool {
        self != TbPerm::Cell
    }

    /// The state after an access, or `None` when the access is forbidden (child accesses).
    pub(super) fn after(self, child: bool, access: AccessKind, protected: bool) -> Option<TbPerm> {
        use AccessKind::*;
        use TbPerm::*;
        Some(match (self, child, access) {
            (Cell, ..) => Cell,
            (Disabled, true, _) | (Frozen, true, Write) => return None,
            (Reserved { conflicted: true }, true, Write) if protected => return None,
            (Reserved { .. } | ReservedIm | Unique, true, Write) => Unique,
            (p, true, Read) => p,
            (Reserved { .. }, false, Read) if protected => Reserved { conflicted: true },
            (Unique, false, Read) if protected => Disabled,
            (Unique, false, Read) => Frozen,
            (p, false, Read) => p,
            (ReservedIm, false, Write) => ReservedIm,
            (_, false, Write) => Disabled,
        })
    }
}

/// One byte's state for one tag: the permission and whether the tag (or a descendant)
/// has accessed the byte. Protectors only guard accessed bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LocState {
    pub(super) perm: TbPerm,
    pub(super) accessed: bool,
}
