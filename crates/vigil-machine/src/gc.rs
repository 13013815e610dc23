//! Garbage collection: borrow tags no pointer holds any more (their stack items and tree
//! nodes), and the records of freed allocations no pointer names any more (their ids are
//! handed out again), so memory stays flat in long-running loops.

use crate::Machine;
use crate::memory::Prov;

/// Under Stacked Borrows dead items deep in a stack cost little (accesses find their tag
/// near the top), but a retag over a range of many distinct stacks pushes an item onto each:
/// stacks are collected once the items pushed since the last collection reach twice what a
/// collection costs (the items it kept and the pointers it scanned), and at least this
/// many. Collections then cost half a visit per pushed item, and dead items stay bounded by
/// twice the live ones. (Dead items make stacks deep, and deep stacks cost the merges of
/// equal runs, which compare them whole, and the searches of grants: twice rather than four
/// times took 0.5-1.2% fewer instructions in five of six programs, 0.2% more in
/// `string_fmt`; once, or more often still, the scans of memory for live pointers add up.)
const SB_GC_MIN_INTERVAL: u64 = 2_000;
/// How many times a collection's cost the items pushed since reach before the next one.
const SB_GC_COST_FACTOR: u64 = 2;
/// Dead items cost work too when a stack holding them is copied (a run splits) or searched
/// (a grant from a parent below the top): `stacked::work` counts those items, and a
/// collection is also due once they reach what the last collection cost (at least
/// `MIN_WORK_BEFORE_GC`, in `borrows/state.rs`). A program whose pushes make stacks deep
/// then collects as often as that saves work (`iter_closures`, `hashmap_sort`), while one
/// whose collections are costly and whose stacks are shared stays at the interval above
/// (`refs_list`).
///
/// Under Tree Borrows every dead node costs each access near it until collected (its bytes
/// keep changing), so trees are collected as soon as the retags since the last collection
/// reach a quarter of what a collection costs (the nodes it kept and the pointers it
/// scanned), and at least this many. Most dead nodes are dropped at returns (`young.rs`)
/// before a collection sees them: with that, a quarter took 0.9-2.1% fewer instructions
/// than an eighth in six of the seven reduced bench programs that make nodes, 0.9% more in
/// `threads_mix` (measured when returns dropped nothing while another thread lived); an
/// eighth was best before the drops, and a half or a sixteenth are worse.
/// A collection looks only at the allocations retagged since the previous one.
const TB_GC_MIN_INTERVAL: u64 = 64;
/// What fraction of a collection's cost the retags since reach before the next one.
const TB_GC_COST_DIVISOR: u64 = 4;

/// Freed allocations kept (for use-after-free reports) before their ids are recycled: at
/// least this many, and at least as many as the allocation table holds, so a collection
/// costs no more than the allocations it follows.
const MIN_DEAD_ALLOCATIONS: usize = 4096;

impl Machine<'_> {
    /// Removes borrow-stack items whose tags no pointer holds any more (in memory, in
    /// registers, or in flight), so stacks stay short in long-running loops.
    pub(crate) fn collect_dead_tags(&mut self) {
        // (Nodes the collection keeps are left to the next one.)
        self.forget_young();
        let Some(sb) = &self.mem.sb else { return };
        sb.growth_since_gc.set(0);
        sb.split_growth_since_gc.set(0);
        let n = sb.tag_count() as usize;
        // A bit per tag, kept between collections and cleared through `live` afterwards, so
        // a collection costs what it marks, not the number of tags ever made.
        let mut bits = std::mem::take(&mut self.live_tag_bits);
        if bits.len() * 64 <= n {
            bits.resize(n / 64 + 1, 0);
        }
        let mut live = std::mem::take(&mut self.live_tag_list);
        let mut scanned = 0usize;
        let mut mark = |t: u32| {
            scanned += 1;
            if let Some(w) = bits.get_mut(t as usize / 64)
                && *w & (1 << (t % 64)) == 0
            {
                *w |= 1 << (t % 64);
                live.push(t);
            }
        };
        self.mem.for_each_stored_tag(&mut mark);
        sb.names.borrow().keys().for_each(|&t| mark(t));
        self.for_each_root_prov(|p| mark(p.tag));
        // The current retag's new tag is written back by the caller: keep recent tags.
        let recent = n.saturating_sub(16);
        let is_live = |t: u32| t as usize >= recent || bits.get(t as usize / 64).is_some_and(|w| w & (1 << (t % 64)) != 0);
        let kept = self.mem.retain_live_tags(&is_live);
        let cost = (kept + scanned) as u64;
        sb.gc_threshold.set(if sb.tree {
            TB_GC_MIN_INTERVAL.max(cost / TB_GC_COST_DIVISOR)
        } else {
            SB_GC_MIN_INTERVAL.max(cost * SB_GC_COST_FACTOR)
        });
        sb.last_gc_cost.set(cost);
        crate::borrows::stacked::take_work();
        // Forget the history of dead tags: it can no longer appear in a report.
        sb.tags.borrow_mut().retain(recent as u32, is_live);
        for &t in &live {
            bits[t as usize / 64] = 0;
        }
        live.clear();
        self.live_tag_bits = bits;
        self.live_tag_list = live;
    }

    /// Recycles the ids of freed allocations when enough have piled up (checked between
    /// frames: inlined, with the recycling itself out of line).
    #[inline]
    pub(crate) fn maybe_recycle_allocations(&mut self) {
        if self.mem.dead_count() >= MIN_DEAD_ALLOCATIONS.max(self.mem.alloc_count() / 2) {
            self.recycle_allocations();
        }
    }

    /// Marks every allocation some pointer names (in memory, registers, in-flight values,
    /// frames, the emulated OS, protectors) and recycles the freed ones not named.
    #[cold]
    #[inline(never)]
    fn recycle_allocations(&mut self) {
        let mut named = vec![false; self.mem.alloc_count()];
        let mut mark = |p: Prov| {
            if let Some(n) = named.get_mut(p.alloc as usize) {
                *n = true;
            }
        };
        self.mem.for_each_stored_prov(&mut mark);
        self.for_each_root_prov(&mut mark);
        self.mem.recycle_dead(&|id| named[id as usize]);
    }

    /// Calls `f` with the provenance of every pointer held outside memory: registers,
    /// in-flight arguments and scratch values, the unwinding payload, frames' return
    /// places, the emulated OS's pointers, extern statics and protected tags' allocations.
    /// Both collections start from these (and from the pointers stored in memory).
    fn for_each_root_prov(&self, mut f: impl FnMut(Prov)) {
        for &p in &self.reg_prov[..self.sp / 8] {
            f(p);
        }
        for &(_, p) in &self.reg_frags {
            f(p.prov());
        }
        for &(_, p) in self.args_prov.iter().chain(self.scratch_prov.iter()) {
            f(p.prov());
        }
        for p in self.unwinding.iter().chain([&self.root_ret, &self.os.argv, &self.os.errno]) {
            f(p.prov);
        }
        for frame in &self.stack {
            crate::concurrency::frame_roots(frame, &mut f);
        }
        self.for_each_thread_root(&mut f);
        for (_, p) in &self.os.env_entries {
            f(p.prov);
        }
        for d in self.os.key_dtors.values() {
            f(d.prov);
        }
        for p in self.mem.extern_statics.values() {
            f(p.prov);
        }
        // The running thread's protected tags (the others' are in their saved state).
        if let Some(sb) = &self.mem.sb {
            for e in sb.tree_protected.borrow().iter() {
                f(Prov::base(e.alloc));
            }
        }
    }
}
