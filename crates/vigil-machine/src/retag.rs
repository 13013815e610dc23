//! Retags: giving a pointer a fresh borrow tag with the permission its type grants, as
//! the aliasing model requires at typed copies, new references, raw borrows and function
//! entry (with protectors).

use std::collections::HashSet;
use vigil_ir::{RefKind, RetagMode};

use crate::Machine;
use crate::borrows::stacked::{AccessKind, Perm, WEAK_PROTECTOR};
use crate::borrows::state::{ProtectedTag, SbState, Stacks};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};

impl Machine<'_> {
    /// Retags `p`, pointing to `size` bytes, for a reference or pointer of `kind`.
    /// `cells`: for a shared reference to interior-mutable data, the pointee's `UnsafeCell`
    /// byte ranges (shared read-write); the other bytes are frozen (shared read-only).
    pub(crate) fn retag_pointer(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode, cells: Option<&[(u32, u32)]>) -> Res<Ptr> {
        if self.mem.sb.is_none() || mode == RetagMode::None || kind == RefKind::Untracked || p.prov.is_none() {
            return Ok(p);
        }
        // A wildcard pointer acts for the exposed allocation its pointee is in now.
        let p = self.mem.resolve_wildcard(p, size);
        if p.prov.alloc == 0 {
            return Ok(p);
        }
        self.retag_resolved(p, size, kind, mode, cells)
    }

    /// `retag_pointer` of a pointer with provenance that is no wildcard (or was resolved),
    /// with an aliasing model on, a retag mode and a tracked kind (`ValidateRefReg` calls
    /// it directly: it has checked all of that).
    #[inline]
    pub(crate) fn retag_resolved(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode, cells: Option<&[(u32, u32)]>) -> Res<Ptr> {
        if self.mem.sb.as_ref().is_some_and(|sb| sb.tree) {
            // Tree Borrows: a retag of a wildcard pointer roots a new tree (see
            // docs/retags.md, C7).
            return self.tree_retag(p, size, kind, mode, cells);
        }
        // Stacked Borrows: a retag of a wildcard pointer gives it a concrete tag derived
        // from whichever exposed tag grants the retag.
        {
            let a = self.mem.get(p.prov);
            if !a.live || a.stacks.is_none() {
                return Ok(p);
            }
        }
        let perm = match (kind, mode) {
            // A two-phase borrow shares until it is activated by its first write.
            (RefKind::Mut { .. }, RetagMode::TwoPhase) => Perm::SharedReadWrite,
            (RefKind::Mut { unpin: true } | RefKind::Box { unpin: true }, _) => Perm::Unique,
            // `&mut` and `Box` of a `!Unpin` type do not claim uniqueness.
            (RefKind::Mut { unpin: false } | RefKind::Box { unpin: false }, _) => Perm::SharedReadWrite,
            (RefKind::Untracked, _) => return Ok(p),
            (RefKind::Shared { freeze: true }, _) | (RefKind::Raw { mutable: false, freeze: true }, _) => Perm::SharedReadOnly,
            // Interior mutability: the whole pointee is treated as shared read-write
            // (more permissive than splitting at `UnsafeCell` boundaries).
            (RefKind::Shared { freeze: false }, _) | (RefKind::Raw { .. }, _) => Perm::SharedReadWrite,
        };
        // Function-entry retags protect `&mut` and `&` (strongly; for `&`, only its frozen
        // bytes) and `Box` (weakly: the callee may free it).
        let protector = match kind {
            _ if !mode.is_fn_entry() => 0,
            RefKind::Mut { unpin: true } | RefKind::Shared { .. } => self.protect_current_call(),
            RefKind::Box { unpin: true } => self.protect_current_call() | WEAK_PROTECTOR,
            _ => 0,
        };
        let sb = self.mem.sb.as_ref().unwrap();
        let a = self.mem.get(p.prov);
        let off = p.addr.wrapping_sub(a.base);
        let size = size.min(a.size.saturating_sub(off));
        let new_tag = sb.new_tag()?;
        let stacks = a.stacks.as_ref().unwrap();
        match (kind, mode, cells) {
            // Frozen bytes read-only, `UnsafeCell` bytes read-write (two-phase borrows aside).
            (RefKind::Shared { freeze: false }, m, Some(cells)) if m != RetagMode::TwoPhase => {
                let segments = segments(cells, size, Perm::SharedReadOnly, Perm::SharedReadWrite);
                let mut first = true;
                for (s, e, perm) in segments {
                    let cell = perm == Perm::SharedReadWrite;
                    let protector = if cell { 0 } else { protector };
                    sb.retag(stacks, &a.exposed_tags, p.prov.alloc, off + s, e - s, p.prov.tag, new_tag, perm, protector, cell, first)
                        .map_err(|e| e.about(p.prov.alloc))?;
                    first = false;
                    // A retag to read-only reads the frozen bytes (for the race detector too).
                    if !cell && self.mem.race_on {
                        self.mem.race_retag(p.prov.alloc, off + s, e - s, false)?;
                    }
                }
                if first {
                    sb.retag(stacks, &a.exposed_tags, p.prov.alloc, off, 0, p.prov.tag, new_tag, perm, protector, false, true)?;
                }
            }
            _ => {
                let fallback = matches!(kind, RefKind::Shared { freeze: false } | RefKind::Raw { mutable: false, freeze: false });
                if !sb.retag_one_run(stacks, p.prov.alloc, off, size, p.prov.tag, new_tag, perm, protector) {
                    sb.retag_rest(stacks, &a.exposed_tags, p.prov.alloc, off, size, p.prov.tag, new_tag, perm, protector, fallback, true)
                        .map_err(|e| e.about(p.prov.alloc))?;
                }
                // Unique retags write, read-only ones read (as far as races are concerned).
                if self.mem.race_on && size > 0 && matches!(perm, Perm::Unique | Perm::SharedReadOnly) {
                    self.mem.race_retag(p.prov.alloc, off, size, perm == Perm::Unique)?;
                }
            }
        }
        if sb.gc_due() {
            self.collect_dead_tags();
        }
        Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } })
    }

    /// A retag the lowering found unobservable (`ValidateRefReg::unobserved`, see
    /// `vigil_ir::mark_unobserved_retags`: a shared reference without `UnsafeCell`, or a
    /// `&mut` of an `Unpin` type under Stacked Borrows only; `vigil_ir::mark_reborrow_chains`:
    /// a reference only reborrowed whole at once, a `&mut` under either model): the access
    /// the retag makes through the parent (a read, or under Stacked Borrows a write for the
    /// `&mut`), and the pointer keeps the parent's tag (`retag_keeping_parent`).
    /// `how`: `Unobserved::BesideReads` when other pointers read while the reference lives.
    pub(crate) fn retag_unobserved(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode, how: vigil_ir::Unobserved) -> Res<Ptr> {
        let beside_reads = how == vigil_ir::Unobserved::BesideReads;
        // (A Tree Borrows `&mut` reborrow reads; the lowering marks such a retag only as a
        // link of a reborrow chain.)
        let tree = self.mem.sb.as_ref().is_some_and(|sb| sb.tree);
        let write = matches!(kind, RefKind::Mut { .. }) && !tree;
        debug_assert!(
            !(tree && beside_reads && matches!(kind, RefKind::Mut { .. })),
            "no `&mut` retag is marked `BesideReads` under Tree Borrows"
        );
        let access = if write { AccessKind::Write } else { AccessKind::Read };
        self.retag_keeping_parent(p, size, kind, mode, Some(write), |sb, stacks, exposed, off, size| {
            // A shared reference from a `Unique` parent outlives it when a read through a
            // pointer below the parent disables the parent (reads disable only `Unique`
            // items): where other pointers read while the reference lives, it gets its own
            // tag then.
            sb.access(stacks, exposed, p.prov.alloc, off, size, access, p.prov.tag).is_ok()
                && !(beside_reads && sb.may_be_unique(stacks, off, size, p.prov.tag))
        })
    }

    /// A two-phase `&mut` or a shared reborrow passed at once as the receiver of a callee
    /// that retags it at entry, or under Tree Borrows a `&mut` only reborrowed two-phase by
    /// such a retag (`Unobserved::IntoCallee`, see `vigil_ir::mark_retags_into_callee`): the
    /// pointer keeps its parent's tag, so the callee's retag derives from the parent
    /// (`retag_keeping_parent`). Under Stacked Borrows a two-phase borrow makes no access and
    /// keeps the parent's tag only where the parent's item is on top of every stack of the
    /// pointee and grants writes (the two-phase item would land right on top: deriving from
    /// the parent then pops what deriving from it would); a shared reborrow reads through
    /// the parent. Under Tree Borrows each reads through the parent.
    pub(crate) fn retag_into_callee(&mut self, p: Ptr, size: u64, kind: RefKind, mode: RetagMode) -> Res<Ptr> {
        // The reference lives into the callee, across the call, where another thread could
        // be scheduled: a read of its pointee there, through a pointer below a `Unique`
        // parent, would disable the parent but not the reborrow (Stacked Borrows), and the
        // callee's retag from the parent would fail where the reference interpreter's
        // succeeds (no race is reported for such a read: the reborrow only reads); under
        // Tree Borrows a write there to bytes beside the pointee would disable them in the
        // reborrow's node, not in the callee's, made after. So while other threads live the
        // full retag is made unless the running thread's preemption is further away than the
        // callee's retag (at most `INTO_CALLEE_BLOCK_ENDS` block ends; the call is to code,
        // which neither blocks nor yields before its first instruction, the retag). The
        // schedule itself never depends on which retags the lowering marks.
        if self.threads.ever_multithreaded() && self.threads.live_count() > 1 && self.preempt_budget <= vigil_ir::INTO_CALLEE_BLOCK_ENDS {
            return self.retag_resolved(p, size, kind, mode, None);
        }
        let two_phase = mode == RetagMode::TwoPhase;
        let tree = self.mem.sb.as_ref().is_some_and(|sb| sb.tree);
        debug_assert!(
            tree || two_phase || !matches!(kind, RefKind::Mut { .. }),
            "the lowering passes a `&mut` on this way only under Tree Borrows"
        );
        // The reborrow reads its bytes for the race detector too (Tree Borrows' `Reserved` and
        // `Frozen`, Stacked Borrows' `SharedReadOnly`); Stacked Borrows' two-phase
        // `SharedReadWrite` makes no access.
        let race = (tree || !two_phase).then_some(false);
        self.retag_keeping_parent(p, size, kind, mode, race, |sb, stacks, exposed, off, size| match two_phase {
            true => sb.grants_write_on_top(stacks, off, size, p.prov.tag),
            false => sb.access(stacks, exposed, p.prov.alloc, off, size, AccessKind::Read, p.prov.tag).is_ok(),
        })
    }

    /// What the retags that keep their parent's tag share (`retag_unobserved`,
    /// `retag_into_callee`, for a pointer with a tag, no wildcard): under Stacked Borrows
    /// `stacks_allow` makes and judges the retag's access through the parent, under Tree
    /// Borrows the retag's read through the parent is made (its history names the reborrow
    /// it stands for); if that succeeds, the pointer keeps its tag and a tag is numbered all
    /// the same, so that reports name the tags they would name with every retag made in
    /// full; `race` is the access the race detector sees (`Some(write)`; none of no byte, as
    /// for the full retag). The full retag is made instead while another thread may run and
    /// no race check watches it (that thread's access during the reference's life would meet
    /// a protector no race report stands for), and when the access fails (the full retag
    /// reports, as the reference interpreter does).
    fn retag_keeping_parent(
        &mut self,
        p: Ptr,
        size: u64,
        kind: RefKind,
        mode: RetagMode,
        race: Option<bool>,
        stacks_allow: impl FnOnce(&SbState, &Stacks, &HashSet<u32>, u64, u64) -> bool,
    ) -> Res<Ptr> {
        let Some(sb) = self.mem.sb.as_ref() else { return Ok(p) };
        if self.unwatched_threads_may_run() {
            return self.retag_resolved(p, size, kind, mode, None);
        }
        let a = self.mem.get(p.prov);
        let off = p.addr.wrapping_sub(a.base);
        let size = size.min(a.size.saturating_sub(off));
        if !a.live {
            return Ok(p);
        }
        let done = match (&a.stacks, &a.tree) {
            // An allocation the aliasing model does not track: the full retag does nothing.
            (None, None) => return Ok(p),
            // (A zero-sized retag makes no access; the tag is numbered all the same.)
            _ if size == 0 => true,
            (Some(stacks), _) => stacks_allow(sb, stacks, &a.exposed_tags, off, size),
            (None, Some(tree)) => {
                let cause = crate::borrows::tree::Cause::Reborrow;
                crate::memory::Memory::tree_access(sb, tree, p.prov.alloc, p, off, size, false, cause).is_ok()
            }
        };
        if !done {
            return self.retag_resolved(p, size, kind, mode, None);
        }
        sb.new_tag()?;
        if let Some(write) = race
            && self.mem.race_on
            && size > 0
        {
            self.mem.race_retag(p.prov.alloc, off, size, write)?;
        }
        Ok(p)
    }

    /// Whether a thread other than the running one may run with no race check watching
    /// its accesses. The race detector stops checking only once the running thread has
    /// joined every other thread (none is left to run) and starts again when a thread is
    /// made; without the detector, any other thread not yet terminated may run. (A thread
    /// is made by a call, and no reference the lowering marks unobservable is used past a
    /// call: none lives from before a thread's start into its run.)
    fn unwatched_threads_may_run(&self) -> bool {
        // (With no detector, `race_on` is never set.)
        self.mem.race.is_none() && self.threads.ever_multithreaded() && self.threads.live_count() > 1
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
        let fn_entry = mode.is_fn_entry();
        // `cells`: the pointee's `UnsafeCell` bytes (`None`: it has none).
        let interior_mut = cells.is_some();
        // (frozen bytes, UnsafeCell bytes, bytes outside the pointee, protector)
        let reserved = TbPerm::Reserved { conflicted: false };
        // `-Zmiri-tree-borrows-implicit-writes`: protected `&mut`/`Box` start written.
        let written = if self.config.tb_implicit_writes && mode == RetagMode::FnEntry { TbPerm::Unique } else { reserved };
        let (mut frozen, cell, outside, protector) = match kind {
            // Raw pointers and `&mut`/`Box` of `!Unpin` types keep their parent's tag.
            RefKind::Raw { .. } | RefKind::Mut { unpin: false } | RefKind::Box { unpin: false } | RefKind::Untracked => return Ok(p),
            RefKind::Shared { .. } => {
                (TbPerm::Frozen, TbPerm::Cell, if interior_mut { TbPerm::Cell } else { TbPerm::Frozen }, fn_entry.then_some(false))
            }
            // Protected mutable references are plain `Reserved`, cells included.
            RefKind::Mut { .. } if fn_entry => (written, written, reserved, Some(false)),
            RefKind::Box { .. } if fn_entry => (written, written, reserved, Some(true)),
            RefKind::Mut { .. } | RefKind::Box { .. } => {
                (reserved, TbPerm::ReservedIm, if interior_mut { TbPerm::ReservedIm } else { reserved }, None)
            }
        };
        if interior_mut && !self.config.tb_precise_interior_mut {
            // `-Zmiri-tree-borrows-no-precise-interior-mut`: an interior-mutable pointee is
            // one `UnsafeCell` as a whole.
            frozen = cell;
        }
        let a = self.mem.get(p.prov);
        let off = p.addr.wrapping_sub(a.base);
        let size = size.min(a.size.saturating_sub(off));
        // Most pointees hold no `UnsafeCell`: one segment, without a vector; the others' go in
        // a vector kept from one retag to the next.
        let (one, mut many) = ([(0, size, frozen)], Vec::new());
        let segs: &[(u64, u64, TbPerm)] = match cells {
            Some(cells) if !cells.is_empty() => {
                many = std::mem::take(&mut self.segment_buf);
                many.clear();
                many.extend(segments(cells, size, frozen, cell));
                &many
            }
            _ if size == 0 => &[],
            _ => &one,
        };
        if !a.mutable && segs.iter().any(|&(s, e, perm)| perm == TbPerm::Unique && e > s) {
            return Err(Error::ub(format!("writing to alloc{} which is read-only", p.prov.alloc)).about(p.prov.alloc));
        }
        let sb = self.mem.sb.as_ref().unwrap();
        let site = sb.site.get();
        let new_tag = sb.new_tag()?;
        if outside == TbPerm::Cell
            && self.config.tb_cell_aliases
            && p.prov.tag != Prov::WILDCARD_TAG
            && segs.iter().all(|s| s.2 == TbPerm::Cell)
        {
            // `UnsafeCell`s alone: a node that is `Cell` everywhere would never refuse or
            // change, nor would its protector guard anything (so the call registers none);
            // the tag acts as its parent's node (no access is made: `Cell` bytes imply none).
            a.tree.as_ref().unwrap().borrow_mut().alias(p.prov.tag, new_tag, site);
            sb.growth_since_gc.set(sb.growth_since_gc.get() + 1);
            sb.retagged_since_gc.borrow_mut().insert(p.prov.alloc);
            if self.drops_young {
                self.note_young(new_tag, p.prov.alloc);
            }
            if many.capacity() > 0 {
                self.segment_buf = many;
            }
            return Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } });
        }
        let protector = match protector {
            Some(weak) => self.protect_current_call() | if weak { WEAK_PROTECTOR } else { 0 },
            None => 0,
        };
        let (a, sb) = (self.mem.get(p.prov), self.mem.sb.as_ref().unwrap());
        if a.size == 0 {
            // A zero-sized allocation (a zero-sized local whose address is taken): every
            // access of it is of no byte and changes nothing, so no node of its tree is ever
            // looked at; the new tag is numbered and gets no node.
            return Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } });
        }
        sb.growth_since_gc.set(sb.growth_since_gc.get() + 1);
        sb.retagged_since_gc.borrow_mut().insert(p.prov.alloc);
        let protected = sb.protected.borrow();
        let r = a.tree.as_ref().unwrap().borrow_mut().reborrow(
            (p.prov.tag != Prov::WILDCARD_TAG).then_some(p.prov.tag),
            new_tag,
            off,
            segs,
            outside,
            protector,
            protector & WEAK_PROTECTOR != 0,
            &|c| protected.contains(c),
            site,
            &mut sb.tree_spares.borrow_mut(),
        );
        drop(protected);
        r.map_err(|e| sb.tree_error(e, p.prov.tag, p.prov.alloc))?;
        if self.drops_young {
            self.note_young(new_tag, p.prov.alloc);
        }
        let sb = self.mem.sb.as_ref().unwrap();
        if protector != 0 {
            let entry = ProtectedTag { call: protector & !WEAK_PROTECTOR, alloc: p.prov.alloc, tag: new_tag };
            sb.tree_protected.borrow_mut().push(entry);
        }
        // The reborrow reads its bytes outside `UnsafeCell`s, or writes them when it starts
        // `Unique` (for the race detector too).
        if self.mem.race_on {
            for &(s, e, perm) in segs {
                if perm != TbPerm::Cell && e > s {
                    self.mem.race_retag(p.prov.alloc, off + s, e - s, perm == TbPerm::Unique)?;
                }
            }
        }
        if sb.gc_due() {
            self.collect_dead_tags();
        }
        if many.capacity() > 0 {
            self.segment_buf = many;
        }
        Ok(Ptr { addr: p.addr, prov: Prov { alloc: p.prov.alloc, tag: new_tag } })
    }

    /// Tree Borrows: the accesses that end the protectors of the call `call` (innermost).
    pub(crate) fn release_tree_protectors(&mut self, call: u64) -> Res<()> {
        let Some(sb) = &self.mem.sb else { return Ok(()) };
        // The call's entries are the last of its thread's list (its callees' entries went
        // when they returned).
        loop {
            let entry = sb.tree_protected.borrow_mut().pop_if(|e| e.call == call);
            let Some(ProtectedTag { alloc, tag, .. }) = entry else {
                debug_assert!(sb.tree_protected.borrow().iter().all(|e| e.call != call), "a call's protected tags are its thread's last");
                break;
            };
            let a = self.mem.get(Prov::base(alloc));
            let (true, Some(tree)) = (a.live, &a.tree) else { continue };
            let protected = sb.protected.borrow();
            let r = tree.borrow_mut().release_protector(tag, &|c| protected.contains(c), sb.site.get());
            drop(protected);
            r.map_err(|e| sb.tree_error(e, tag, alloc))?;
        }
        Ok(())
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

/// Splits a pointee of `size` bytes into runs of `frozen` bytes and of `UnsafeCell` bytes
/// (`cells`: sorted `(start, end)` ranges), each with the permission it gets:
/// `(start, end, permission)`, in order. (An iterator: every retag of a shared reference to
/// interior-mutable data makes these, and a vector for them showed in profiles.)
fn segments<'a, P: Copy + 'a>(cells: &'a [(u32, u32)], size: u64, frozen: P, cell: P) -> impl Iterator<Item = (u64, u64, P)> + 'a {
    let mut cells = cells.iter();
    // Where the next segment starts, and a cell segment due after the gap just returned.
    let (mut at, mut due) = (0u64, None);
    std::iter::from_fn(move || {
        if let Some(c) = due.take() {
            return Some(c);
        }
        for &(s, e) in cells.by_ref() {
            let (s, e) = ((s as u64).min(size), (e as u64).min(size));
            let gap = (s > at).then_some((at, s, frozen));
            let inside = (e > s).then_some((s, e, cell));
            at = at.max(e);
            match (gap, inside) {
                (Some(g), c) => {
                    due = c;
                    return Some(g);
                }
                (None, Some(c)) => return Some(c),
                (None, None) => {}
            }
        }
        (at < size).then(|| {
            let last = (at, size, frozen);
            at = size;
            last
        })
    })
}

#[cfg(test)]
mod tests {
    /// The segments cover the pointee in order, alternating where cells start and end,
    /// with cells clipped to the pointee and empty ones left out.
    #[test]
    fn segments_cover_the_pointee_in_order() {
        let seg = |cells: &[(u32, u32)], size| super::segments(cells, size, 'f', 'c').collect::<Vec<_>>();
        assert_eq!(seg(&[], 8), [(0, 8, 'f')]);
        assert_eq!(seg(&[], 0), []);
        assert_eq!(seg(&[(0, 8)], 8), [(0, 8, 'c')]);
        assert_eq!(seg(&[(0, 4)], 8), [(0, 4, 'c'), (4, 8, 'f')]);
        assert_eq!(seg(&[(4, 8)], 8), [(0, 4, 'f'), (4, 8, 'c')]);
        assert_eq!(seg(&[(0, 5), (8, 32)], 40), [(0, 5, 'c'), (5, 8, 'f'), (8, 32, 'c'), (32, 40, 'f')]);
        assert_eq!(seg(&[(2, 3), (3, 3), (6, 12)], 8), [(0, 2, 'f'), (2, 3, 'c'), (3, 6, 'f'), (6, 8, 'c')]);
        assert_eq!(seg(&[(10, 12)], 8), [(0, 8, 'f')]);
    }
}
