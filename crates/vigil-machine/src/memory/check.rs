//! Access checks: a pointer resolved to its allocation and offset (liveness, bounds,
//! mutability, wildcard provenance), the alignment a pointer is known to have, and the
//! aliasing model's part of an access.

use super::{Memory, Prov, Ptr, fmt_ptr};
use crate::borrows::stacked::AccessKind;
use crate::borrows::state::SbState;
use crate::borrows::tree::{Access, Cause, TbAlloc};
use crate::concurrency::data_race;
use crate::error::{Error, Res};

impl Memory {
    /// The alignment `p` is known to have: from its address, or with symbolic alignment from
    /// its allocation's alignment (or a promised one) and its offset.
    #[inline]
    pub fn known_align(&self, p: Ptr) -> u64 {
        if !self.symbolic_alignment {
            // From the address alone (a wildcard pointer's lookup would not change it).
            return if p.addr == 0 { u64::MAX } else { 1 << p.addr.trailing_zeros() };
        }
        self.symbolic_align(p)
    }

    /// `known_align` under symbolic alignment.
    fn symbolic_align(&self, p: Ptr) -> u64 {
        let p = self.resolve_wildcard(p, 0);
        if p.prov.alloc != 0 {
            // Only what the allocation guarantees counts, not what the address happens to be.
            let a = self.get(p.prov);
            // The allocation's alignment at its start, or a larger one promised at an offset.
            let (start, align) = self.promised_align.get(&p.prov.alloc).copied().unwrap_or((0, a.align));
            let dist = p.addr.wrapping_sub(a.base).wrapping_sub(start);
            align.min(if dist == 0 { u64::MAX } else { 1 << dist.trailing_zeros() })
        } else if p.addr == 0 {
            u64::MAX
        } else {
            1 << p.addr.trailing_zeros()
        }
    }

    /// `ptr` as it acts for `size` bytes: a wildcard pointer whose allocation does not hold
    /// them (or is gone, or none) acts for the exposed live allocation that does, if any (see
    /// `Prov`); any other pointer is itself.
    pub fn resolve_wildcard(&self, ptr: Ptr, size: u64) -> Ptr {
        // Bytes are held by one allocation at most; an address, by two (one's end is the
        // next one's start), so a zero-sized use looks again.
        if ptr.prov.tag != Prov::WILDCARD_TAG || (size > 0 && self.holds(ptr.prov.alloc, ptr.addr, size)) {
            return ptr;
        }
        match self.exposed_holding(ptr.addr, size) {
            Some(id) => Ptr { addr: ptr.addr, prov: Prov { alloc: id, tag: Prov::WILDCARD_TAG } },
            None => ptr,
        }
    }

    /// A wildcard pointer to `lo` as it acts for the bytes `lo..hi` (pointer arithmetic or
    /// `offset_from` between `lo` and `hi`): the exposed allocation holding them all.
    pub fn resolve_wildcard_span(&self, ptr: Ptr, lo: u64, hi: u64) -> Ptr {
        if ptr.prov.tag != Prov::WILDCARD_TAG || lo == hi {
            return self.resolve_wildcard(ptr, 0);
        }
        match self.exposed_holding(lo, hi - lo) {
            Some(id) => Ptr { addr: ptr.addr, prov: Prov { alloc: id, tag: Prov::WILDCARD_TAG } },
            None => self.resolve_wildcard(ptr, 0),
        }
    }

    /// The exposed live allocation that holds `size` bytes at `addr`. Allocations may be
    /// adjacent, so for `size` 0 an address may be both one allocation's start and the
    /// previous one's end: the one starting there is chosen first, as the reference
    /// interpreter does.
    pub(super) fn exposed_holding(&self, addr: u64, size: u64) -> Option<u32> {
        let mut below = self.by_addr.range(..=addr).rev();
        let (&base, &id) = below.next()?;
        if self.allocs[id as usize].exposed && self.holds(id, addr, size) {
            return Some(id);
        }
        if size == 0 && base == addr {
            let (_, &prev) = below.next()?;
            if self.allocs[prev as usize].exposed && self.holds(prev, addr, 0) {
                return Some(prev);
            }
        }
        None
    }

    /// Whether live allocation `id` holds `size` bytes at `addr`.
    fn holds(&self, id: u32, addr: u64, size: u64) -> bool {
        let a = &self.allocs[id as usize];
        id != 0 && a.live && addr >= a.base && addr.checked_add(size).is_some_and(|end| end <= a.base + a.size)
    }

    /// Resolves an access of `size` bytes at `ptr` to (allocation id, offset).
    #[inline]
    pub fn check(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        if size == 0 {
            return Ok((0, 0));
        }
        let id = ptr.prov.alloc;
        // (Record 0, for pointers without provenance, is never live.)
        let a = &self.allocs[id as usize];
        let off = ptr.addr.wrapping_sub(a.base);
        if !a.live || off > a.size || a.size - off < size || (write && !a.mutable) {
            return self.check_failed(ptr, size, write);
        }
        if self.race_on {
            let kind = if write {
                data_race::AccessKind::Write(data_race::WriteKind::Write)
            } else {
                data_race::AccessKind::Read { retag: false }
            };
            self.race_na(a, id, off, size, kind)?;
        }
        if let (Some(sb), Some(stacks)) = (&self.sb, &a.stacks) {
            let kind = if write { AccessKind::Write } else { AccessKind::Read };
            sb.access(stacks, &a.exposed_tags, id, off, size, kind, ptr.prov.tag)?;
        }
        if let (Some(sb), Some(tree)) = (&self.sb, &a.tree) {
            Self::tree_access(sb, tree, id, ptr, off, size, write, Cause::Access)?;
        }
        Ok((id, off as usize))
    }

    /// `check` of an access its fast test refused: a wildcard pointer that stands for
    /// another allocation is checked again as that one; anything else is UB, reported.
    #[cold]
    #[inline(never)]
    fn check_failed(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        let id = ptr.prov.alloc;
        if id == 0 {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            return Err(Error::ub(format!(
                "memory access failed: attempting to access {size} byte{}, but got {} which is a dangling pointer (it has no provenance)",
                if size == 1 { "" } else { "s" },
                fmt_ptr(ptr)
            )));
        }
        let a = &self.allocs[id as usize];
        if !a.live {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            return Err(Error::ub(format!("memory access failed: alloc{id} has been freed, so this pointer is dangling")).about(id));
        }
        let off = ptr.addr.wrapping_sub(a.base);
        if off > a.size || a.size - off < size {
            let p = self.resolve_wildcard(ptr, size);
            if p.prov.alloc != id {
                return self.check(p, size, write);
            }
            let bytes = |n: u64| if n == 1 { "1 byte".to_string() } else { format!("{n} bytes") };
            let soff = off as i64;
            let at = match soff {
                0 => format!("alloc{id}"),
                o if o > 0 => format!("alloc{id}+{o:#x}"),
                o => format!("alloc{id}-{:#x}", o.unsigned_abs()),
            };
            let why = if soff < 0 {
                "points to before the beginning of the allocation".to_string()
            } else if off >= a.size {
                format!("is at or beyond the end of the allocation of size {}", bytes(a.size))
            } else {
                format!("is only {} from the end of the allocation", bytes(a.size - off))
            };
            return Err(
                Error::ub(format!("memory access failed: attempting to access {}, but got {at} which {why}", bytes(size))).about(id)
            );
        }
        // What the fast test refused is left: a write to read-only memory.
        Err(Error::ub(format!("writing to alloc{id} which is read-only")).about(id))
    }

    /// The Tree Borrows part of `check` (`cause`: an access, or the access a reborrow makes).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn tree_access(
        sb: &SbState,
        tree: &std::cell::RefCell<TbAlloc>,
        id: u32,
        ptr: Ptr,
        off: u64,
        size: u64,
        write: bool,
        cause: Cause,
    ) -> Res<()> {
        let kind = if write { AccessKind::Write } else { AccessKind::Read };
        // (Most accesses change nothing: decided before the access is made up.)
        if ptr.prov.tag != Prov::WILDCARD_TAG && tree.borrow().access_skips(ptr.prov.tag, kind, off, size) {
            return Ok(());
        }
        let protected = sb.protected.borrow();
        let is_protected = |c| protected.contains(c);
        let a = Access { kind, cause, protected: &is_protected, site: sb.site.get() };
        let r = if ptr.prov.tag == Prov::WILDCARD_TAG {
            tree.borrow_mut().wildcard_access(off, size, a)
        } else {
            tree.borrow_mut().access(ptr.prov.tag, off, size, a)
        };
        drop(protected);
        r.map_err(|e| sb.tree_error(e, ptr.prov.tag, id))
    }
}
