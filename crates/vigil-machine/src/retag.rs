//! Retags: giving a pointer a fresh borrow tag with the permission its type grants, as
//! the aliasing model requires at typed copies, new references, raw borrows and function
//! entry (with protectors).

use vigil_ir::{RefKind, RetagMode};

use crate::borrows::stacked::Perm;
use crate::error::Res;
use crate::memory::{Prov, Ptr};
use crate::Machine;

/// Retags between two collections of dead tags.
const GC_INTERVAL: u32 = 2_000;

impl Machine<'_> {
    /// Retags `p`, pointing to `size` bytes, for a reference or pointer of `kind`.
    /// `cells`: for a shared reference to interior-mutable data, the pointee's `UnsafeCell`
    /// byte ranges (shared read-write); the other bytes are frozen (shared read-only).
    pub(crate) fn retag_pointer(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode, cells: Option<&[(u32, u32)]>) -> Res<Ptr> {
        if self.mem.sb.is_none() || mode == RetagMode::None || p.prov.is_none() || p.prov.tag == Prov::WILDCARD_TAG {
            return Ok(p);
        }
        if self.mem.sb.as_ref().is_some_and(|sb| sb.tree) {
            return self.tree_retag(p, size, kind, mode, cells);
        }
        {
            let a = self.mem.get(p.prov);
            if !a.live || a.stacks.is_none() {
                return Ok(p);
            }
        }
        let perm = match (kind, mode) {
            // A two-phase borrow shares until it is activated by its first write.
            (RefKind::Mut { .. }, RetagMode::TwoPhase) => Perm::SharedReadWrite,
            (RefKind::Mut { unpin: true }, _) | (RefKind::Box, _) => Perm::Unique,
            // `&mut` of a `!Unpin` type does not claim uniqueness.
            (RefKind::Mut { unpin: false }, _) => Perm::SharedReadWrite,
            (RefKind::Shared { freeze: true }, _) | (RefKind::Raw { mutable: false, freeze: true }, _) => Perm::SharedReadOnly,
            // Interior mutability: the whole pointee is treated as shared read-write
            // (more permissive than splitting at `UnsafeCell` boundaries).
            (RefKind::Shared { freeze: false }, _) | (RefKind::Raw { .. }, _) => Perm::SharedReadWrite,
        };
        let protector = if mode == RetagMode::FnEntry && matches!(kind, RefKind::Mut { unpin: true } | RefKind::Shared { freeze: true }) {
            self.protect_current_call()
        } else {
            0
        };
        let sb = self.mem.sb.as_ref().unwrap();
        let a = self.mem.get(p.prov);
        let off = p.addr.wrapping_sub(a.base);
        let size = size.min(a.size.saturating_sub(off));
        let new_tag = sb.new_tag();
        let stacks = a.stacks.as_ref().unwrap();
        match (kind, mode, cells) {
            // Frozen bytes read-only, `UnsafeCell` bytes read-write (two-phase borrows aside).
            (RefKind::Shared { freeze: false }, m, Some(cells)) if m != RetagMode::TwoPhase => {
                let mut segments = Vec::new();
                let mut at = 0u64;
                for &(s, e) in cells {
                    let (s, e) = ((s as u64).min(size), (e as u64).min(size));
                    if s > at {
                        segments.push((at, s, Perm::SharedReadOnly));
                    }
                    if e > s {
                        segments.push((s, e, Perm::SharedReadWrite));
                    }
                    at = at.max(e);
                }
                if at < size {
                    segments.push((at, size, Perm::SharedReadOnly));
                }
                let mut first = true;
                for (s, e, perm) in segments {
                    sb.retag(stacks, p.prov.alloc, off + s, e - s, p.prov.tag, new_tag, perm, protector, perm == Perm::SharedReadWrite, first)
                        .map_err(|e| e.about(p.prov.alloc))?;
                    first = false;
                }
                if first {
                    sb.retag(stacks, p.prov.alloc, off, 0, p.prov.tag, new_tag, perm, protector, false, true)?;
                }
            }
            _ => {
                let fallback = matches!(kind, RefKind::Shared { freeze: false } | RefKind::Raw { mutable: false, freeze: false });
                sb.retag(stacks, p.prov.alloc, off, size, p.prov.tag, new_tag, perm, protector, fallback, true)
                    .map_err(|e| e.about(p.prov.alloc))?;
            }
        }
        if sb.retags_since_gc.get() >= GC_INTERVAL {
            self.collect_dead_tags();
        }
        Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } })
    }

    /// Removes borrow-stack items whose tags no pointer holds any more (in memory, in
    /// registers, or in flight), so stacks stay short in long-running loops.
    fn collect_dead_tags(&mut self) {
        let Some(sb) = &self.mem.sb else { return };
        sb.retags_since_gc.set(0);
        let n = sb.tags.borrow().len();
        let mut live = vec![false; n + 1];
        let mut mark = |t: u32| {
            if let Some(l) = live.get_mut(t as usize) {
                *l = true;
            }
        };
        self.mem.for_each_stored_tag(&mut mark);
        for p in &self.reg_prov[..self.sp / 8] {
            mark(p.tag);
        }
        for &(_, p) in self.args_prov.iter().chain(self.scratch_prov.iter()) {
            mark(p.tag);
        }
        if let Some(u) = self.unwinding {
            mark(u.prov.tag);
        }
        // The current retag's new tag is written back by the caller: keep recent tags.
        let recent = n.saturating_sub(16);
        let is_live = |t: u64| t as usize >= recent || live.get(t as usize).copied().unwrap_or(false);
        self.mem.retain_live_tags(&is_live);
        // Forget the history of dead tags created since the last collection (older ones
        // were handled then); it can no longer appear in a report.
        let mut tags = sb.tags.borrow_mut();
        let from = self.gc_checked_up_to.min(tags.len());
        for t in from..tags.len() {
            if !is_live(t as u64) {
                tags[t] = None;
            }
        }
        self.gc_checked_up_to = recent;
    }

    /// Tree Borrows retag: a new child tag whose bytes start as the reference kind says.
    fn tree_retag(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode, cells: Option<&[(u32, u32)]>) -> Res<Ptr> {
        use crate::borrows::tree::TbPerm;
        {
            let a = self.mem.get(p.prov);
            if !a.live || a.tree.is_none() {
                return Ok(p);
            }
        }
        let fn_entry = mode == RetagMode::FnEntry;
        // (frozen bytes, UnsafeCell bytes, bytes outside the pointee, protected)
        let (frozen, cell, outside, protect) = match kind {
            // Raw pointers and `&mut` of `!Unpin` types keep their parent's tag.
            RefKind::Raw { .. } | RefKind::Mut { unpin: false } => return Ok(p),
            RefKind::Shared { freeze } => (TbPerm::Frozen, TbPerm::Cell, if freeze { TbPerm::Frozen } else { TbPerm::Cell }, fn_entry),
            RefKind::Mut { unpin: true } | RefKind::Box if fn_entry => {
                let r = TbPerm::Reserved { conflicted: false };
                (r, r, r, kind != RefKind::Box)
            }
            RefKind::Mut { .. } | RefKind::Box => {
                let r = TbPerm::Reserved { conflicted: false };
                (r, TbPerm::ReservedIm, if cells.is_some() { TbPerm::ReservedIm } else { r }, false)
            }
        };
        let protector = if protect { self.protect_current_call() } else { 0 };
        let mut segments = Vec::new();
        let mut at = 0u64;
        for &(s, e) in cells.unwrap_or(&[]) {
            let (s, e) = ((s as u64).min(size), (e as u64).min(size));
            if s > at {
                segments.push((at, s, frozen));
            }
            if e > s {
                segments.push((s, e, cell));
            }
            at = at.max(e);
        }
        if at < size {
            let whole = if cells.is_none() && matches!(kind, RefKind::Shared { freeze: false }) { cell } else { frozen };
            segments.push((at, size, whole));
        }
        let sb = self.mem.sb.as_ref().unwrap();
        let a = self.mem.get(p.prov);
        let off = p.addr.wrapping_sub(a.base);
        let new_tag = sb.new_tag();
        sb.tags.borrow_mut().push(None);
        let protected = sb.protected.borrow();
        let r = a.tree.as_ref().unwrap().borrow_mut().reborrow(
            p.prov.tag,
            new_tag,
            off,
            size,
            &segments,
            outside,
            protector,
            &|c| protected.contains(&c),
            sb.site.get(),
        );
        drop(protected);
        r.map_err(|e| sb.tree_error(e, p.prov.tag, p.prov.alloc, off))?;
        Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } })
    }

    /// The current call's protector id, registering it as live.
    fn protect_current_call(&mut self) -> u64 {
        let frame = self.stack.last_mut().unwrap();
        if frame.call_id == 0 {
            self.next_call_id += 1;
            frame.call_id = self.next_call_id;
            if let Some(sb) = &self.mem.sb {
                sb.protected.borrow_mut().insert(frame.call_id);
            }
        }
        frame.call_id
    }
}
