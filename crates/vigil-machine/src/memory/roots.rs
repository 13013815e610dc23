//! What the collectors need of memory: the tags stored in it, its roots, its dead
//! allocations, and the heap allocations the program can no longer reach (leaks).

use super::{AllocKind, Allocation, Memory, Prov};
use crate::prov_map::ProvPart;

impl Memory {
    /// Records that a pointer with `prov` is kept outside registers (`stored_tag_end`).
    #[inline]
    pub fn note_stored(&mut self, prov: Prov) {
        self.stored_tag_end = self.stored_tag_end.max(prov.tag.wrapping_add(1));
    }

    /// The oldest tag no pointer kept outside registers (`note_stored`) has.
    #[inline]
    pub fn stored_tag_end(&self) -> u32 {
        self.stored_tag_end
    }

    /// `note_stored` for each pointer of a provenance list.
    #[inline]
    pub fn note_stored_parts(&mut self, parts: &[(u64, ProvPart)]) {
        for &(_, p) in parts {
            self.note_stored(p.prov());
        }
    }

    /// Live heap allocations not reachable from statics or other machine-owned memory
    /// (following the pointers stored in memory).
    /// Makes a live allocation a root of the leak check (`miri_static_root`): neither it nor
    /// what it points to is reported as leaked.
    pub fn add_static_root(&mut self, id: u32) {
        self.static_roots.push(id);
    }

    pub fn unreachable_heap_allocs(&self) -> Vec<u32> {
        let mut seen = vec![false; self.allocs.len()];
        let mut work: Vec<u32> = Vec::new();
        for (i, a) in self.allocs.iter().enumerate() {
            // Memory that may leak is a root: what it points to is not leaked.
            if a.live
                && (matches!(a.kind, AllocKind::Global | AllocKind::Machine | AllocKind::Tls | AllocKind::Mmap)
                    || self.static_roots.contains(&(i as u32)))
            {
                seen[i] = true;
                work.push(i as u32);
            }
        }
        while let Some(id) = work.pop() {
            for &(_, p) in &self.allocs[id as usize].prov {
                let p = p.prov().alloc as usize;
                if p < seen.len() && !seen[p] {
                    seen[p] = true;
                    work.push(p as u32);
                }
            }
        }
        self.live_heap_allocs().filter(|(id, _)| !seen[*id as usize]).map(|(id, _)| id).collect()
    }

    /// Calls `f` with the tag of every pointer stored in live memory that has borrow stacks
    /// or a tag tree (with an aliasing model on, that is all memory the program can reach).
    pub fn for_each_stored_tag(&self, mut f: impl FnMut(u32)) {
        for id in self.live_with_borrows.iter() {
            for &(_, p) in &self.allocs[id as usize].prov {
                f(p.prov().tag);
            }
        }
        self.for_each_buffered_prov(|p| f(p.tag));
    }

    /// Calls `f` with the provenance of every pointer an atomic store left in a store buffer
    /// (a later load may still read it).
    pub fn for_each_buffered_prov(&self, mut f: impl FnMut(Prov)) {
        if !self.race_on {
            return;
        }
        for a in self.allocs.iter().filter(|a| a.live) {
            if let Some(w) = a.weak.borrow().as_ref() {
                w.for_each_prov(&mut f);
            }
        }
    }

    /// Drops stack items and tree nodes whose tags `live` rejects, in every live allocation.
    /// Returns how much state remains (stack items and tree nodes).
    /// Only allocations retagged since the last collection are looked at: the others
    /// gained no items or nodes since then.
    pub fn retain_live_tags(&self, live: &impl Fn(u32) -> bool) -> usize {
        let Some(sb) = &self.sb else { return 0 };
        let mut work = 0;
        let protected = sb.protected.borrow();
        let is_protected = |c: u64| protected.contains(c);
        let mut scratch = sb.collect_scratch.borrow_mut();
        let mut spares = sb.tree_spares.borrow_mut();
        let mut touched = std::mem::take(&mut *sb.retagged_since_gc.borrow_mut());
        for id in touched.iter() {
            let a = &self.allocs[id as usize];
            if !a.live {
                continue;
            }
            if let Some(stacks) = &a.stacks {
                // Exposed tags stay usable through wildcard pointers.
                let none_exposed = a.exposed_tags.is_empty();
                let live = |t: u32| live(t) || (!none_exposed && a.exposed_tags.contains(&t));
                let mut memo = crate::borrows::stacked::RetainMemo::default();
                let mut stacks = stacks.borrow_mut();
                stacks.runs.for_all_mut(|s| {
                    s.retain_live(&live, &is_protected, &mut memo);
                    work += s.len();
                });
                work += stacks.retain_overlay(|it| (it.protector != 0 && is_protected(it.protector)) || live(it.tag));
            }
            if let Some(tree) = &a.tree {
                let mut tree = tree.borrow_mut();
                tree.retain_live_with(live, &is_protected, &mut scratch, &mut spares);
                work += tree.node_count();
            }
        }
        // (The set's words are kept for the next round: no retag runs during a collection.)
        touched.clear();
        *sb.retagged_since_gc.borrow_mut() = touched;
        work
    }

    /// How many freed allocations keep their records.
    pub fn dead_count(&self) -> usize {
        self.dead.len()
    }

    /// Calls `f` with the provenance of every pointer stored in live memory.
    pub fn for_each_stored_prov(&self, mut f: impl FnMut(Prov)) {
        for a in self.allocs.iter().filter(|a| a.live) {
            for &(_, p) in &a.prov {
                f(p.prov());
            }
        }
        self.for_each_buffered_prov(f);
    }

    /// Hands the ids of freed allocations that no pointer names (`named` says which are
    /// named) back for reuse; their records are dropped.
    pub fn recycle_dead(&mut self, named: &dyn Fn(u32) -> bool) {
        let mut i = 0;
        while i < self.dead.len() {
            let id = self.dead[i];
            if named(id) {
                i += 1;
            } else {
                self.dead.swap_remove(i);
                self.allocs[id as usize].alloc_site = None;
                self.allocs[id as usize].free_site = None;
                self.free_ids.push(id);
            }
        }
    }

    pub fn alloc_count(&self) -> usize {
        self.allocs.len()
    }

    /// Heap allocations still live (for leak reports).
    pub fn live_heap_allocs(&self) -> impl Iterator<Item = (u32, &Allocation)> {
        self.allocs
            .iter()
            .enumerate()
            .filter(|(_, a)| a.live && matches!(a.kind, AllocKind::Rust | AllocKind::C))
            .map(|(i, a)| (i as u32, a))
    }
}
