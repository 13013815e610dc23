//! The aliasing model's run-time state: tag counter, protected calls, each tag's history,
//! and the checks memory accesses, retags and deallocations go through.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use vigil_ir::{FnId, SpanId};

use super::overlay::{OVERLAY_MIN_BYTES, OVERLAY_MIN_RUNS, SbStacks};
use super::stacked::{AccessKind, CallId, Item, Perm, SbError, Stack, Tag, TopMemo, WEAK_PROTECTOR, WILDCARD, strongly_protected};
use crate::error::{Error, ErrorKind};
use crate::id_set::IdSet;

/// What the report says about a tag.
#[derive(Clone, Debug)]
pub struct TagInfo {
    pub alloc: u32,
    pub perm: Perm,
    pub range: (u64, u64),
    pub created: (FnId, SpanId),
    pub invalidated: Option<((FnId, SpanId), AccessKind, u64, u64)>,
}

/// Aliasing-model state shared by all allocations (Stacked Borrows, or Tree Borrows when
/// `tree` is set).
pub struct SbState {
    pub tree: bool,
    next_tag: Cell<u32>,
    /// Calls whose protectors are in force.
    pub protected: RefCell<LiveCalls>,
    /// Tree Borrows: the tags the running thread's protectors guard, for the accesses at
    /// their end, in the order they were made: its innermost call's last (a thread's calls
    /// end in the reverse order they start). Each thread has a list of its own: the others'
    /// wait in their saved state (`SavedExec::tree_protected`), swapped in as registers are.
    pub tree_protected: RefCell<Vec<ProtectedTag>>,
    /// Tree Borrows: byte-state maps of removed nodes, for new nodes of any tree.
    pub tree_spares: RefCell<super::tree::SpareStates>,
    /// Working memory of Tree Borrows collections, kept from one collection to the next.
    pub collect_scratch: RefCell<super::tree::CollectScratch>,
    /// What Stacked Borrows reports say about each tag still held by some pointer.
    pub tags: RefCell<TagHistory>,
    /// What the stores have grown by since the last collection of dead tags: under Stacked
    /// Borrows the items retags pushed, under Tree Borrows the nodes they added.
    pub growth_since_gc: Cell<u64>,
    /// Under Stacked Borrows, the items the stacks pushed to since then would hold if every
    /// run were split into 8-byte units (a later retag of part of a run copies its stack
    /// into each part): bounded separately, so that splitting cannot multiply a deep stack.
    pub split_growth_since_gc: Cell<u64>,
    /// The allocations retagged since then: the only ones a collection needs to look at
    /// (a bit set: no repeats to sort out, visited in id order).
    pub retagged_since_gc: RefCell<IdSet>,
    /// The growth that triggers the next collection (set by each collection).
    pub gc_threshold: Cell<u64>,
    /// What the last collection cost (items kept and pointers scanned): once deep stacks
    /// have cost as much work (items copied at splits and passed over by searches,
    /// `stacked::work`), a collection is due too.
    pub last_gc_cost: Cell<u64>,
    /// Where the program is (shared with `Memory::site`, set by the interpreter), for the
    /// history of tags.
    pub site: std::rc::Rc<crate::site::SiteCell>,
    /// Names the program gave tags (`miri_pointer_name`), for printed borrow states; named
    /// tags are never collected.
    pub names: RefCell<std::collections::HashMap<u32, Vec<String>>>,
    /// The tags an access or retag removes, kept for the next one (an allocation per
    /// access that removes something showed in profiles).
    removed_buf: Cell<Vec<Tag>>,
}

/// Tree Borrows: a tag a protector guards.
#[derive(Clone, Copy, Debug)]
pub struct ProtectedTag {
    pub call: CallId,
    pub alloc: u32,
    pub tag: u32,
}

impl Default for SbState {
    fn default() -> Self {
        SbState {
            tree: false,
            next_tag: Cell::new(1),
            protected: RefCell::new(LiveCalls::default()),
            tree_protected: RefCell::new(Vec::new()),
            tree_spares: Default::default(),
            collect_scratch: Default::default(),
            tags: RefCell::new(TagHistory::default()),
            growth_since_gc: Cell::new(0),
            split_growth_since_gc: Cell::new(0),
            retagged_since_gc: RefCell::new(IdSet::default()),
            gc_threshold: Cell::new(64),
            last_gc_cost: Cell::new(0),
            site: Default::default(),
            names: Default::default(),
            removed_buf: Default::default(),
        }
    }
}

pub type Stacks = RefCell<SbStacks>;

/// Which fast path made a retag (`SbState::retag_one_run`), if one did.
enum FastPush {
    No,
    OneRun,
    Overlay,
}

/// Each tag's history, kept only while the tag may still be used: recent tags in a vector
/// indexed from `base`, older survivors of collections in a vector sorted by tag, so memory
/// follows the number of live tags rather than of all retags ever made.
#[derive(Default)]
pub struct TagHistory {
    base: u32,
    recent: Vec<Option<TagInfo>>,
    /// Survivors of collections, all below `base`, in tag order (each collection appends
    /// the recent tags that survived it). Dead ones are dropped only once `old` has doubled
    /// since it was last pruned: a dead tag's history is never read, so keeping it a while
    /// costs memory only, and pruning at every collection walked every survivor each time.
    old: Vec<(u32, TagInfo)>,
    old_pruned_len: usize,
}

/// `TagHistory::old` is not pruned below this many entries.
const OLD_HISTORY_MIN: usize = 1024;

impl TagHistory {
    #[inline]
    pub fn insert(&mut self, tag: u32, info: TagInfo) {
        let Some(i) = tag.checked_sub(self.base) else { return };
        let i = i as usize;
        // Tags are handed out in order: the new one is usually the next slot.
        if i == self.recent.len() {
            self.recent.push(Some(info));
            return;
        }
        if self.recent.len() < i {
            // (Usually a gap of a tag or two: retags made as just their access number theirs.)
            while self.recent.len() < i {
                self.recent.push(None);
            }
            self.recent.push(Some(info));
            return;
        }
        self.recent[i] = Some(info);
    }

    pub fn get(&self, tag: u32) -> Option<&TagInfo> {
        match tag.checked_sub(self.base) {
            Some(i) => self.recent.get(i as usize)?.as_ref(),
            None => self.old.binary_search_by_key(&tag, |e| e.0).ok().map(|i| &self.old[i].1),
        }
    }

    pub fn get_mut(&mut self, tag: u32) -> Option<&mut TagInfo> {
        match tag.checked_sub(self.base) {
            Some(i) => self.recent.get_mut(i as usize)?.as_mut(),
            None => self.old.binary_search_by_key(&tag, |e| e.0).ok().map(|i| &mut self.old[i].1),
        }
    }

    /// After a collection: forgets the dead tags below `upto` (newer ones may still be
    /// written back by the retag in progress).
    pub fn retain(&mut self, upto: u32, live: impl Fn(u32) -> bool) {
        if self.old.len() >= 2 * self.old_pruned_len.max(OLD_HISTORY_MIN) {
            self.old.retain(|&(t, _)| live(t));
            self.old_pruned_len = self.old.len();
        }
        let n = (upto.saturating_sub(self.base) as usize).min(self.recent.len());
        // The liveness bit first: most recent tags are dead, and their records are not moved.
        for (i, info) in self.recent[..n].iter_mut().enumerate() {
            let t = self.base + i as u32;
            if info.is_some() && live(t) {
                self.old.push((t, info.take().unwrap()));
            }
        }
        self.recent.drain(..n);
        self.base += n as u32;
    }
}

/// The set of running calls that protect something: one bit per call id over a window of
/// the newest ids (ids are handed out in order, so the window is dense), and a sorted list
/// of the calls older than the window that still run (frames deep in the stack), so that
/// memory stays bounded however many calls a program makes. The aliasing models ask it on
/// every access to a protected tag.
#[derive(Default)]
pub struct LiveCalls {
    /// Bit `i` of word `w`: call `(base + w) * 64 + i`.
    bits: Vec<u64>,
    /// The window's first word, in words from id 0.
    base: u64,
    /// Running calls below the window, ascending.
    old: Vec<CallId>,
}

/// The window's length after it slides, in words; it slides once it would reach twice this.
const LIVE_CALLS_WINDOW: usize = 1024;

impl LiveCalls {
    /// Whether the call a protector (with or without `WEAK_PROTECTOR`) belongs to is running.
    #[inline]
    pub fn contains(&self, protector: CallId) -> bool {
        let c = protector & !WEAK_PROTECTOR;
        match (c / 64).checked_sub(self.base) {
            Some(w) => self.bits.get(w as usize).is_some_and(|w| w & (1 << (c % 64)) != 0),
            None => self.old.binary_search(&c).is_ok(),
        }
    }

    /// Adds a running call (a protector's first, at a function-entry retag).
    #[inline]
    pub fn insert(&mut self, call: CallId) {
        // (The commonest: a new call in the window's words.)
        if let Some(w) = (call / 64).checked_sub(self.base)
            && let Some(word) = self.bits.get_mut(w as usize)
        {
            *word |= 1 << (call % 64);
            return;
        }
        self.insert_slow(call);
    }

    /// `insert` of a call below the window, or beyond its words (which it then slides or
    /// grows).
    #[inline(never)]
    fn insert_slow(&mut self, call: CallId) {
        let Some(w) = (call / 64).checked_sub(self.base) else {
            if let Err(j) = self.old.binary_search(&call) {
                self.old.insert(j, call);
            }
            return;
        };
        let mut i = w as usize;
        if i >= 2 * LIVE_CALLS_WINDOW {
            // Slide: the words that leave the window hand their running calls to `old`
            // (all above the ones there).
            let drop = i + 1 - LIVE_CALLS_WINDOW;
            let gone = drop.min(self.bits.len());
            for (k, &word) in self.bits[..gone].iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    self.old.push((self.base + k as u64) * 64 + word.trailing_zeros() as u64);
                    word &= word - 1;
                }
            }
            self.bits.drain(..gone);
            self.base += drop as u64;
            i -= drop;
        }
        if self.bits.len() <= i {
            self.bits.resize(i + 1, 0);
        }
        self.bits[i] |= 1 << (call % 64);
    }

    #[inline]
    pub fn remove(&mut self, call: CallId) {
        match (call / 64).checked_sub(self.base) {
            Some(w) => {
                if let Some(w) = self.bits.get_mut(w as usize) {
                    *w &= !(1 << (call % 64));
                }
            }
            None => {
                if let Ok(j) = self.old.binary_search(&call) {
                    self.old.remove(j);
                }
            }
        }
    }

    /// Words and ids held (for tests).
    #[cfg(test)]
    fn footprint(&self) -> usize {
        self.bits.len() + self.old.len()
    }
}

/// The borrow stacks of a new allocation: its base tag (0) is `Unique` for memory the
/// program owns, `SharedReadWrite` for globals.
#[cfg(test)]
pub fn new_stacks(size: u64, global: bool) -> Stacks {
    RefCell::new(SbStacks::new(super::range_map::RangeMap::new(size, Stack::new(base_item(global)))))
}

/// The item of an allocation's base tag: `SharedReadWrite` for globals (any code may
/// reach them), `Unique` for the rest.
pub fn base_item(global: bool) -> Item {
    let perm = if global { Perm::SharedReadWrite } else { Perm::Unique };
    Item { tag: 0, perm, protector: 0 }
}

/// A collection is also due once splitting the stacks pushed to since the last one could
/// copy this many items (16 bytes each), whatever the threshold says.
const SPLIT_GROWTH_BOUND: u64 = 1 << 20;

/// The stack work (`stacked::work`) that makes a collection due, at least.
const MIN_WORK_BEFORE_GC: u64 = 100_000;

/// A retag over at least this many runs pushes onto shared tops (`TopMemo`): below it, the
/// new shared top would cost more than the pushes it saves.
pub(super) const SHARE_MIN_RUNS: usize = 4;

impl SbState {
    /// Whether a collection of dead tags is due: the stores grew by the threshold, or the
    /// stacks pushed to could grow by `SPLIT_GROWTH_BOUND` items when split.
    #[inline(always)]
    pub fn gc_due(&self) -> bool {
        let threshold = self.gc_threshold.get();
        self.growth_since_gc.get() >= threshold
            || self.split_growth_since_gc.get() >= threshold.max(SPLIT_GROWTH_BOUND)
            || super::stacked::work() >= self.last_gc_cost.get().max(MIN_WORK_BEFORE_GC)
    }

    /// How many tags were handed out (tags are numbered from 1).
    pub fn tag_count(&self) -> u32 {
        self.next_tag.get()
    }

    /// A fresh tag. Tags are 32 bits in pointers (the wildcard is `u32::MAX`): a program
    /// that makes four billion of them stops with an unsupported-operation error rather
    /// than reuse one (which could report UB that is not there, or miss some).
    #[inline]
    pub fn new_tag(&self) -> Result<u32, Error> {
        let t = self.next_tag.get();
        if t >= u32::MAX - 1 {
            return Err(out_of_tags());
        }
        self.next_tag.set(t + 1);
        Ok(t)
    }

    /// Notes in their histories that an access removed `removed`'s tags, and gives the
    /// working buffer back to `removed_buf`.
    #[inline]
    fn record_removed(&self, mut removed: Vec<Tag>, access: AccessKind, offset: u64, size: u64) {
        if !removed.is_empty() {
            self.record_removed_tags(&removed, access, offset, size);
        }
        removed.clear();
        self.removed_buf.set(removed);
    }

    #[inline(never)]
    fn record_removed_tags(&self, removed: &[Tag], access: AccessKind, offset: u64, size: u64) {
        let mut tags = self.tags.borrow_mut();
        for &t in removed {
            if let Some(info) = tags.get_mut(t)
                && info.invalidated.is_none()
            {
                info.invalidated = Some((self.site.get(), access, offset, offset + size));
            }
        }
    }

    /// An access of `size` bytes at `offset` of allocation `alloc` with `tag` (`exposed`: the
    /// allocation's exposed tags, which wildcard pointers may stand for).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn access(
        &self,
        stacks: &Stacks,
        exposed: &HashSet<u32>,
        alloc: u32,
        offset: u64,
        size: u64,
        access: AccessKind,
        tag: u32,
    ) -> Result<(), Error> {
        // Fast path, in the caller: the tag is on top everywhere, nothing changes.
        let noop = {
            let s = stacks.borrow();
            !s.has_overlay() && s.runs.all_in(offset, size, |s| s.access_is_noop(access, tag))
        };
        if noop {
            return Ok(());
        }
        self.access_slow(stacks, exposed, alloc, offset, size, access, tag)
    }

    /// `access` past its first fast path.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn access_slow(
        &self,
        stacks: &Stacks,
        exposed: &HashSet<u32>,
        alloc: u32,
        offset: u64,
        size: u64,
        access: AccessKind,
        tag: u32,
    ) -> Result<(), Error> {
        if stacks.borrow().has_overlay() && self.access_is_noop_with_overlay(stacks, offset, size, access, tag) {
            return Ok(());
        }
        let protected = self.protected.borrow();
        let is_protected = |c: CallId| protected.contains(c);
        let mut removed = self.removed_buf.take();
        let mut hint = None;
        let r = stacks.borrow_mut().runs.for_each_mut(offset, size, |run, stack| {
            stack.access(access, tag, &is_protected, &|t| exposed.contains(&t), &mut removed, &mut hint).map_err(|e| (run.max(offset), e))
        });
        drop(protected);
        self.record_removed(removed, access, offset, size);
        r.map_err(|(at, e)| self.error(e, alloc, at, None))
    }

    /// Whether `parent`'s item is on top of every stack of `[offset, offset+size)` and grants
    /// writes, with no overlay item above it: a two-phase borrow from it would be pushed
    /// right on top (`Machine::retag_into_callee`).
    pub fn grants_write_on_top(&self, stacks: &Stacks, offset: u64, size: u64, parent: Tag) -> bool {
        let s = stacks.borrow();
        !s.overlay_meets(offset, offset + size)
            && s.runs.all_in(offset, size, |st| st.push_changes_nothing_else(AccessKind::Write, parent, Perm::SharedReadWrite))
    }

    /// Whether `tag`'s item may be `Unique` on some byte of `[offset, offset+size)` (the
    /// overlay's items are read-only).
    pub fn may_be_unique(&self, stacks: &Stacks, offset: u64, size: u64, tag: Tag) -> bool {
        let s = stacks.borrow();
        let mut unique = false;
        s.runs.for_each_in(offset, size, |_, st| {
            unique = st.may_be_unique(tag);
            !unique
        });
        unique
    }

    /// `access`'s fast path when the allocation has an overlay: overlay items are read-only,
    /// so a read through one of them changes nothing, and a read through a tag the overlay
    /// does not hold changes only the runs. Any other access of bytes the overlay covers
    /// first pushes the overlay onto the runs.
    #[inline(never)]
    fn access_is_noop_with_overlay(&self, stacks: &Stacks, offset: u64, size: u64, access: AccessKind, tag: Tag) -> bool {
        let mut s = stacks.borrow_mut();
        if s.overlay_meets(offset, offset + size) {
            let decided_by_runs = access == AccessKind::Read && tag != WILDCARD;
            if decided_by_runs && s.overlay_covers(tag, offset, offset + size) {
                return true;
            }
            if !decided_by_runs || s.overlay_holds(tag) {
                self.overlay_before_change(&mut s, offset, size, tag, access);
            }
        }
        s.runs.all_in(offset, size, |s| s.access_is_noop(access, tag))
    }

    /// Before a change to the runs over `[offset, offset+size)` other than a read through a
    /// tag the overlay does not hold: a write (or a reborrow that writes) through a tag of
    /// the runs pops the overlay's items there (`SbStacks::cut_overlay`); anything else
    /// pushes the overlay onto the runs first.
    fn overlay_before_change(&self, s: &mut SbStacks, offset: u64, size: u64, tag: Tag, access: AccessKind) {
        if access == AccessKind::Write && tag != WILDCARD && !s.overlay_holds(tag) {
            let protected = self.protected.borrow();
            let mut removed = self.removed_buf.take();
            if s.cut_overlay(offset, offset + size, |c| protected.contains(c), &mut removed) {
                drop(protected);
                self.record_removed(removed, access, offset, size);
                return;
            }
            removed.clear();
            self.removed_buf.set(removed);
        }
        s.materialize();
    }

    /// The commonest retag, made in the caller (inlined): the whole retag in one segment,
    /// over bytes of one run onto which the push changes nothing else (`push_onto_one_run`).
    /// Returns false, having changed nothing, for any other; `retag_rest` then makes it.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn retag_one_run(
        &self,
        stacks: &Stacks,
        alloc: u32,
        offset: u64,
        size: u64,
        parent: u32,
        new_tag: u32,
        perm: Perm,
        protector: CallId,
    ) -> bool {
        // With no overlay, a large read-only retag is for the overlay.
        if size == 0 || (perm == Perm::SharedReadOnly && size >= OVERLAY_MIN_BYTES) {
            return false;
        }
        let new = Item { tag: new_tag, perm, protector };
        // (The overlay splits no run: no units pushed to.)
        let units = match self.push_onto_one_run(stacks, offset, size, parent, new, perm.reborrow_access()) {
            FastPush::No => return false,
            FastPush::OneRun => size.div_ceil(8),
            FastPush::Overlay => 0,
        };
        self.record_new_tag(alloc, offset, size, new_tag, perm);
        self.count_fast_push(alloc, units);
        true
    }

    /// The history of a new tag: where it was made, over what.
    #[inline]
    fn record_new_tag(&self, alloc: u32, offset: u64, size: u64, new_tag: u32, perm: Perm) {
        let info = TagInfo { alloc, perm, range: (offset, offset + size), created: self.site.get(), invalidated: None };
        self.tags.borrow_mut().insert(new_tag, info);
    }

    /// Grants `new_tag` with `perm` (protected by `protector`) over `[offset, offset+size)`,
    /// derived from `parent`.
    #[allow(clippy::too_many_arguments)]
    pub fn retag(
        &self,
        stacks: &Stacks,
        exposed: &HashSet<u32>,
        alloc: u32,
        offset: u64,
        size: u64,
        parent: u32,
        new_tag: u32,
        perm: Perm,
        protector: CallId,
        read_only_fallback: bool,
        first_segment: bool,
    ) -> Result<(), Error> {
        if first_segment && self.retag_one_run(stacks, alloc, offset, size, parent, new_tag, perm, protector) {
            return Ok(());
        }
        self.retag_rest(stacks, exposed, alloc, offset, size, parent, new_tag, perm, protector, read_only_fallback, first_segment)
    }

    /// `retag` of what `retag_one_run` does not make: a retag it refused, or a later segment
    /// of one (which it does not take).
    #[allow(clippy::too_many_arguments)]
    pub fn retag_rest(
        &self,
        stacks: &Stacks,
        exposed: &HashSet<u32>,
        alloc: u32,
        offset: u64,
        size: u64,
        parent: u32,
        new_tag: u32,
        perm: Perm,
        protector: CallId,
        read_only_fallback: bool,
        first_segment: bool,
    ) -> Result<(), Error> {
        // A retag may come in several segments (frozen and `UnsafeCell` bytes) with one tag.
        if first_segment {
            self.record_new_tag(alloc, offset, size, new_tag, perm);
        }
        if size == 0 {
            self.growth_since_gc.set(self.growth_since_gc.get() + first_segment as u64);
            return Ok(());
        }
        let new = Item { tag: new_tag, perm, protector };
        let access = perm.reborrow_access();
        if self.push_onto_overlay(stacks, offset, size, parent, new, read_only_fallback) {
            // (The overlay splits no run.)
            self.count_fast_push(alloc, 0);
            return Ok(());
        }
        if first_segment && perm == Perm::Unique && self.unique_onto_common_bottom(stacks, offset, size, parent, new) {
            self.count_fast_push(alloc, size.div_ceil(8));
            return Ok(());
        }
        let protected = self.protected.borrow();
        let is_protected = |c: CallId| protected.contains(c);
        let mut removed = self.removed_buf.take();
        let mut hint = None;
        let is_exposed = |t: Tag| exposed.contains(&t);
        let next_tag = self.tag_count();
        let (mut pushed, mut units) = (0u64, 0u64);
        let mut stacks = stacks.borrow_mut();
        let stacks = &mut stacks.runs;
        let mut memo = (size >= SHARE_MIN_RUNS as u64 && stacks.runs_in(offset, size) >= SHARE_MIN_RUNS).then(TopMemo::default);
        let r = stacks.update_same(offset, size, |run, end, stack| {
            pushed += 1;
            units += (end - run).div_ceil(8);
            if let Some(memo) = memo.as_mut() {
                if stack.try_push_shared(parent, new, memo) {
                    return Ok(true);
                }
            } else if stack.push_changes_nothing_else(access, parent, new.perm) {
                // (Over a few runs: `grant` would put the item on top.)
                stack.push_top(new);
                return Ok(true);
            }
            match stack.grant(parent, new, &is_protected, &is_exposed, &mut removed, &mut hint, next_tag) {
                // A shared reference to interior-mutable data derived from a read-only
                // parent: its frozen parts are read-only anyway.
                Err(SbError::NoGrant { .. }) if read_only_fallback => stack
                    .grant(
                        parent,
                        Item { perm: Perm::SharedReadOnly, ..new },
                        &is_protected,
                        &is_exposed,
                        &mut removed,
                        &mut None,
                        next_tag,
                    )
                    .map(|_| false),
                r => r,
            }
            .map_err(|e| (run.max(offset), e))
        });
        drop((memo, protected));
        // Every new tag counts (its history is kept until a collection), and each stack pushed to.
        self.growth_since_gc.set(self.growth_since_gc.get() + pushed.max(first_segment as u64));
        self.split_growth_since_gc.set(self.split_growth_since_gc.get() + units);
        if first_segment {
            self.retagged_since_gc.borrow_mut().insert(alloc);
        }
        self.record_removed(removed, access, offset, size);
        r.map_err(|(at, e)| self.error(e, alloc, at, Some((parent, perm))))
    }

    /// The bookkeeping of a retag a fast path made: one push, `units` 8-byte units of runs
    /// pushed to, and the allocation for the next collection to look at.
    #[inline]
    fn count_fast_push(&self, alloc: u32, units: u64) {
        self.growth_since_gc.set(self.growth_since_gc.get() + 1);
        self.split_growth_since_gc.set(self.split_growth_since_gc.get() + units);
        self.retagged_since_gc.borrow_mut().insert(alloc);
    }

    /// The commonest retag: its range lies in one run, and granting from the parent only
    /// puts the new item on top (the parent is on top, or the stack's caches say the
    /// parent's access changes nothing). The range becomes a run of its own with the item
    /// pushed, as `grant` would leave it, without the general path's searches and merges:
    /// the new tag is fresh (the retag's first segment), so the run cannot equal a
    /// neighbour. Or, where the overlay lies: a read-only retag from a parent one overlay
    /// item covers (`push_into_covering_overlay`). Changes nothing for any other retag.
    #[inline]
    fn push_onto_one_run(&self, stacks: &Stacks, offset: u64, size: u64, parent: Tag, new: Item, access: AccessKind) -> FastPush {
        let mut stacks = stacks.borrow_mut();
        if stacks.overlay_meets(offset, offset + size) {
            // (The overlay's items may lie above the run.)
            return match Self::push_into_covering_overlay(&mut stacks, offset, size, parent, new) {
                true => FastPush::Overlay,
                false => FastPush::No,
            };
        }
        let stacks = &mut stacks.runs;
        match stacks.isolate_if(offset, size, |s| s.push_changes_nothing_else(access, parent, new.perm)) {
            Some(stack) => {
                stack.push_top(new);
                FastPush::OneRun
            }
            None => FastPush::No,
        }
    }

    /// A read-only retag from a parent one overlay item covers, whose read changes nothing
    /// (everything above that item is read-only), goes on top of the overlay: the first case
    /// of `push_onto_overlay`, and from `push_onto_one_run` the commonest retag where an
    /// overlay lies (an element of a large slice read through an iterator; without the
    /// general path of `retag_rest`: `iter_closures` -1.2%). Returns whether it did.
    #[inline(never)]
    fn push_into_covering_overlay(stacks: &mut SbStacks, offset: u64, size: u64, parent: Tag, new: Item) -> bool {
        let end = offset + size;
        let covered = new.perm == Perm::SharedReadOnly && parent != WILDCARD && stacks.overlay_covers(parent, offset, end);
        if covered {
            stacks.push_overlay(new, offset, end);
        }
        covered
    }

    /// A `Unique` retag over one run, or a few runs whose stacks are the same up to where
    /// the write through the parent starts removing items (a `&mut` of a local struct whose
    /// fields were reborrowed apart by the previous call): the write leaves them all equal,
    /// so the range becomes one run holding that bottom and the new item, as `grant` on each
    /// run and the merges would leave it. Returns false, having changed nothing, for any other
    /// retag (a protected victim included: `grant` reports it).
    #[inline(never)]
    fn unique_onto_common_bottom(&self, stacks: &Stacks, offset: u64, size: u64, parent: Tag, new: Item) -> bool {
        const MAX_RUNS: usize = 8;
        const MAX_DEPTH: usize = 32;
        let mut s = stacks.borrow_mut();
        if s.overlay_meets(offset, offset + size) {
            return false;
        }
        let protected = self.protected.borrow();
        let is_protected = |c: CallId| protected.contains(c);
        // One run (a `&mut` of a local reborrowed again by each call): truncated in place.
        let mut point = None;
        let one = s.runs.isolate_if(offset, size, |st| {
            point = if st.len() <= MAX_DEPTH { st.write_truncation_point(parent, &is_protected) } else { None };
            point.is_some()
        });
        if let (Some(st), Some(first)) = (one, point) {
            let mut removed = self.removed_buf.take();
            st.tags_from(first, &mut removed);
            st.truncate_and_push(first, new);
            drop((s, protected));
            self.record_removed(removed, AccessKind::Write, offset, size);
            return true;
        }
        let runs = s.runs.runs_in(offset, size);
        if !(2..=MAX_RUNS).contains(&runs) {
            return false;
        }
        let mut first_stack: Option<(&Stack, usize)> = None;
        let mut same = true;
        s.runs.for_each_in(offset, size, |_, st| {
            // (Deep stacks are left to `grant`, whose hints find the parent without a scan.)
            let point = if st.len() <= MAX_DEPTH { st.write_truncation_point(parent, &is_protected) } else { None };
            let Some(first) = point else {
                same = false;
                return false;
            };
            match first_stack {
                None => first_stack = Some((st, first)),
                Some((s0, f0)) => same = f0 == first && s0.same_bottom(st, first),
            }
            same
        });
        let Some((_, first)) = first_stack.filter(|_| same) else { return false };
        drop(protected);
        let mut removed = self.removed_buf.take();
        s.runs.for_each_in(offset, size, |_, st| {
            st.tags_from(first, &mut removed);
            true
        });
        s.runs.collapse(offset, size, |st| st.truncate_and_push(first, new));
        drop(s);
        self.record_removed(removed, AccessKind::Write, offset, size);
        true
    }

    /// A read-only retag that only puts its item on top, over many runs or over bytes the
    /// overlay already covers, goes into the overlay (`overlay.rs`); any other retag of bytes
    /// the overlay covers first pushes the overlay onto the runs. Returns whether the retag
    /// is done.
    #[inline(never)]
    fn push_onto_overlay(&self, stacks: &Stacks, offset: u64, size: u64, parent: Tag, new: Item, read_only_fallback: bool) -> bool {
        let mut s = stacks.borrow_mut();
        let end = offset + size;
        let meets = s.overlay_meets(offset, end);
        // The read through the parent changes nothing where the parent is in the overlay
        // (everything above it is read-only)...
        if meets && Self::push_into_covering_overlay(&mut s, offset, size, parent, new) {
            return true;
        }
        let many_runs =
            || size >= OVERLAY_MIN_BYTES || (s.runs.run_count() >= OVERLAY_MIN_RUNS && s.runs.runs_in(offset, size) >= OVERLAY_MIN_RUNS);
        // ... or where every run says so.
        if new.perm == Perm::SharedReadOnly
            && parent != WILDCARD
            && (meets || many_runs())
            && s.runs.all_in(offset, size, |st| st.read_changes_nothing(parent))
        {
            s.push_overlay(new, offset, end);
            return true;
        }
        if meets {
            match new.perm {
                // A `SharedReadWrite` reborrow makes no access: its item goes just above the
                // parent's block of read-write items, below every read-only item, so below the
                // overlay. (One that may fall back to a read-only reborrow pushes on top.)
                Perm::SharedReadWrite if !read_only_fallback => {}
                // A `Unique` reborrow writes through the parent.
                Perm::Unique => self.overlay_before_change(&mut s, offset, size, parent, AccessKind::Write),
                _ => s.materialize(),
            }
        }
        false
    }

    pub fn dealloc(&self, stacks: &Stacks, exposed: &HashSet<u32>, alloc: u32, tag: u32) -> Result<(), Error> {
        let protected = self.protected.borrow();
        let is_protected = |c: CallId| protected.contains(c);
        let mut stacks = stacks.borrow_mut();
        // The overlay's read-only items grant no write and lie above the runs' items: only a
        // protected one, or the tag's own (for the report's wording), needs them on the runs.
        if stacks.has_overlay() && (stacks.overlay_holds(tag) || stacks.overlay_any(|it| strongly_protected(it.protector, &is_protected))) {
            stacks.materialize();
        }
        let failure = stacks.runs.values_mut().find_map(|stack| stack.dealloc(tag, &is_protected, &|t| exposed.contains(&t)).err());
        drop(protected);
        match failure {
            None => Ok(()),
            Some(SbError::Protected { victim, .. }) => Err(Error::new(ErrorKind::Aliasing(format!(
                "deallocating while item [{} for <{}>] is {}",
                victim.perm.name(),
                victim.tag,
                strength(victim.protector)
            )))
            .about(alloc)),
            Some(e) => Err(self.error(e, alloc, 0, None)),
        }
    }

    fn error(&self, e: SbError, alloc: u32, at: u64, retag: Option<(u32, Perm)>) -> Error {
        let (msg, tag) = match (e, retag) {
            (SbError::NoGrant { tag, found, .. }, Some((parent, perm))) => (
                format!(
                    "trying to retag from {} for {} permission at alloc{alloc}[{at:#x}], but {}",
                    shown(parent),
                    perm.name(),
                    why_not(tag, found)
                ),
                tag,
            ),
            (SbError::NoGrant { access, tag, found }, None) => (
                format!("attempting a {} access using {} at alloc{alloc}[{at:#x}], but {}", access.name(), shown(tag), why_not(tag, found)),
                tag,
            ),
            (SbError::Protected { tag, victim, .. }, _) => (
                format!(
                    "not granting access to tag <{tag}> because that would remove [{} for <{}>] which is {}",
                    victim.perm.name(),
                    victim.tag,
                    strength(victim.protector)
                ),
                victim.tag,
            ),
        };
        let mut err = Error::new(ErrorKind::Aliasing(msg));
        if let Some(info) = self.tags.borrow().get(tag) {
            err.history.push((
                format!("<{tag}> was created by a {} retag at offsets [{:#x}..{:#x}]", info.perm.name(), info.range.0, info.range.1),
                Some(info.created),
            ));
            if let Some((site, access, off, end)) = info.invalidated {
                err.history.push((
                    format!("<{tag}> was later invalidated at offsets [{off:#x}..{end:#x}] by a {} access", access.name()),
                    Some(site),
                ));
            }
        }
        err
    }
}

#[cold]
#[inline(never)]
fn out_of_tags() -> Error {
    Error::unsupported(
        "this program made more than 4,294,967,293 borrow tags, more than Vigil can tell apart; run a shorter program or turn the aliasing model off with `-Zmiri-disable-stacked-borrows`",
    )
}

/// A tag as reports show it.
fn shown(tag: Tag) -> String {
    if tag == WILDCARD { "<wildcard>".into() } else { format!("<{tag}>") }
}

/// Why no item grants an access to `tag`.
fn why_not(tag: Tag, found: Option<Perm>) -> String {
    match found {
        _ if tag == WILDCARD => "no exposed tags have suitable permission in the borrow stack for this location".into(),
        Some(p) => format!("that tag only grants {} permission for this location", p.name()),
        None => "that tag does not exist in the borrow stack for this location".into(),
    }
}

/// How a protector is named in reports.
fn strength(protector: CallId) -> &'static str {
    if protector & WEAK_PROTECTOR != 0 { "weakly protected" } else { "strongly protected" }
}

impl SbState {
    /// Whether the call a protector belongs to is still running.
    pub fn is_protected(&self, protector: CallId) -> bool {
        self.protected.borrow().contains(protector)
    }

    /// A Tree Borrows refusal as a report.
    pub fn tree_error(&self, e: super::tree::TbError, tag: u32, alloc: u32) -> Error {
        let wildcard = tag == crate::memory::Prov::WILDCARD_TAG || e.through == super::tree::Through::Wildcard;
        let shown = if wildcard { "<wildcard>".to_string() } else { format!("<{tag}>") };
        let mut msg = format!("{} through {shown} at alloc{alloc}[{:#x}] is forbidden", e.title, e.offset);
        for d in &e.details {
            msg.push('\n');
            msg.push_str(d);
        }
        let mut err = Error::new(ErrorKind::TreeBorrows(msg));
        err.history = e.history;
        err.about(alloc)
    }
}

#[cfg(test)]
mod tests {
    use super::super::range_map::RangeMap;
    use super::*;

    #[test]
    fn running_out_of_tags_is_an_unsupported_operation() {
        let sb = SbState::default();
        sb.next_tag.set(u32::MAX - 3);
        assert_eq!(sb.new_tag().unwrap(), u32::MAX - 3);
        assert_eq!(sb.new_tag().unwrap(), u32::MAX - 2);
        let e = sb.new_tag().unwrap_err();
        assert!(matches!(&e.kind, crate::error::ErrorKind::Unsupported(m) if m.contains("borrow tags")));
        assert!(sb.new_tag().is_err(), "the wildcard tag is never handed out");
    }

    #[test]
    fn live_calls_stay_bounded_and_remember_old_calls() {
        let mut live = LiveCalls::default();
        // Three calls that run throughout, then ten million calls that start and end.
        for c in [1, 70, 130] {
            live.insert(c);
        }
        for c in 200..10_000_000u64 {
            live.insert(c);
            assert!(live.contains(c) && live.contains(c | WEAK_PROTECTOR));
            if c % 1000 != 0 {
                live.remove(c);
                assert!(!live.contains(c));
            }
        }
        for c in [1, 70, 130, 5_000_000, 9_999_000] {
            assert!(live.contains(c), "call {c} still runs");
        }
        for c in [2, 71, 199, 5_000_001, 9_999_999] {
            assert!(!live.contains(c), "call {c} ended");
        }
        // The window plus the calls that never ended.
        assert!(live.footprint() < 2 * LIVE_CALLS_WINDOW + 10_003, "{}", live.footprint());
        // A jump far past the window (the words in between hold nothing).
        live.insert(1 << 40);
        assert!(live.contains(1 << 40) && live.contains(9_999_000) && !live.contains((1 << 40) - 1));
        live.remove(70);
        live.remove(5_000_000);
        assert!(!live.contains(70) && !live.contains(5_000_000) && live.contains(130));
    }

    /// Retags and accesses through the range map (with its one-run fast path, the shared
    /// tops of retags over many runs and the overlay of read-only items) leave every byte
    /// with the stack that the rules, applied to a separate stack per byte, give it, and
    /// succeed or fail alike.
    #[test]
    fn range_map_and_fast_paths_agree_with_a_stack_per_byte() {
        let mut next = super::super::stacked::tests::xorshift(0x2545_f491_4f6c_dd1d);
        let size = 48u64;
        let (mut fast, mut shared, mut overlaid, mut overlay_reads, mut few) = (0, 0, 0, 0, 0);
        for _ in 0..800 {
            let sb = SbState::default();
            sb.protected.borrow_mut().insert(1);
            let stacks = new_stacks(size, false);
            let mut bytes: Vec<Stack> = (0..size).map(|_| Stack::new(Item { tag: 0, perm: Perm::Unique, protector: 0 })).collect();
            let exposed = HashSet::new();
            // Each tag with the range it was made for.
            let mut tags = vec![(0u32, 0u64, size)];
            for _ in 0..60 {
                let r = next();
                // Half the time the newest tag, over part of its range, as reslicing a slice
                // step by step does; else any tag over any range.
                let ((tag, _, _), off, len) = if (r >> 52).is_multiple_of(2) {
                    let (t, lo, hi) = *tags.last().unwrap();
                    // Mostly the rest of it after a few bytes (`&s[1..]`), else any part.
                    let off = lo + (r >> 4) % (hi - lo).min(if (r >> 56).is_multiple_of(4) { 48 } else { 3 });
                    let len = if (r >> 56).is_multiple_of(4) { 1 + (r >> 12) % (hi - off) } else { hi - off };
                    ((t, lo, hi), off, len)
                } else {
                    let off = r % size;
                    let len = if r & (1 << 20) != 0 { 1 + (r >> 8) % 8 } else { 1 + (r >> 8) % size };
                    (tags[(r >> 24) as usize % tags.len()], off, len.min(size - off))
                };
                let protected = |c: CallId| c == 1;
                let no_exposed = |_: Tag| false;
                let mut removed = Vec::new();
                let (got, want) = if (r >> 40).is_multiple_of(4) {
                    let access = if (r >> 44).is_multiple_of(2) { AccessKind::Read } else { AccessKind::Write };
                    overlay_reads += (access == AccessKind::Read && stacks.borrow().overlay_covers(tag, off, off + len)) as u32;
                    let got = sb.access(&stacks, &exposed, 1, off, len, access, tag).is_ok();
                    let want = (off..off + len)
                        .try_for_each(|b| bytes[b as usize].access(access, tag, &protected, &no_exposed, &mut removed, &mut None));
                    (got, want.is_ok())
                } else {
                    let perm = [Perm::Unique, Perm::SharedReadWrite, Perm::SharedReadOnly, Perm::SharedReadOnly][(r >> 44) as usize % 4];
                    let protector = if (r >> 48).is_multiple_of(8) { 1 } else { 0 };
                    let new = sb.new_tag().unwrap();
                    let (runs, in_overlay) = (stacks.borrow().runs.runs_in(off, len), stacks.borrow().overlay_len());
                    let plain = stacks
                        .borrow()
                        .runs
                        .run_holding(off, len)
                        .is_some_and(|s| s.push_changes_nothing_else(perm.reborrow_access(), tag, perm));
                    // (A few runs, each with the parent where a push is all, no overlay on them, and
                    // not a `Unique` retag, which `unique_onto_common_bottom` may take first: pushed
                    // without `grant`, unless into the overlay.)
                    let on_few = perm != Perm::Unique
                        && (2..SHARE_MIN_RUNS).contains(&runs)
                        && !stacks.borrow().overlay_meets(off, off + len)
                        && stacks.borrow().runs.all_in(off, len, |s| s.push_changes_nothing_else(perm.reborrow_access(), tag, perm));
                    let got = sb.retag(&stacks, &exposed, 1, off, len, tag, new, perm, protector, false, true).is_ok();
                    if got {
                        tags.push((new, off, off + len));
                    }
                    let pushed_overlay = stacks.borrow().overlay_len() > in_overlay;
                    overlaid += pushed_overlay as u32;
                    few += (on_few && !pushed_overlay) as u32;
                    fast += (plain && !pushed_overlay) as u32;
                    shared += (runs >= SHARE_MIN_RUNS && !pushed_overlay) as u32;
                    let item = Item { tag: new, perm, protector };
                    let want = (off..off + len).try_for_each(|b| {
                        bytes[b as usize].grant(tag, item, &protected, &no_exposed, &mut removed, &mut None, new + 1).map(|_| ())
                    });
                    (got, want.is_ok())
                };
                assert_eq!(got, want, "outcome differs at offset {off}, length {len}");
                if !got {
                    // Undefined behavior stops the program, so a failed operation may leave
                    // the state anywhere between before and after (the overlay is cut before
                    // the runs are checked): go on from the stacks the rules give.
                    *stacks.borrow_mut() = stacks_of(&bytes);
                    continue;
                }
                let map = stacks.borrow();
                for (b, stack) in bytes.iter().enumerate() {
                    let got = map.stack_at(b as u64);
                    assert!(got.iter().eq(stack.iter()), "byte {b}: {got:?} against {stack:?}");
                }
            }
        }
        assert!(
            fast > 500 && shared > 1_000 && overlaid > 300 && overlay_reads > 25 && few > 300,
            "every fast path ran: {fast} one-run pushes, {shared} shared, {overlaid} into the overlay, {overlay_reads} reads decided by it, {few} pushes onto a few runs"
        );
    }

    /// A `&mut` retag of a struct whose fields were reborrowed apart pops both fields' items
    /// and leaves one run; a protected item there is still reported (by `grant`).
    #[test]
    fn unique_retag_over_fields_reborrowed_apart_leaves_one_run() {
        let sb = SbState::default();
        let stacks = new_stacks(16, false);
        let exposed = HashSet::new();
        let (a, b) = (sb.new_tag().unwrap(), sb.new_tag().unwrap());
        sb.retag(&stacks, &exposed, 1, 0, 8, 0, a, Perm::SharedReadOnly, 0, false, true).unwrap();
        sb.retag(&stacks, &exposed, 1, 8, 8, 0, b, Perm::SharedReadOnly, 0, false, true).unwrap();
        assert_eq!(stacks.borrow().runs.run_count(), 2);
        let m = sb.new_tag().unwrap();
        sb.retag(&stacks, &exposed, 1, 0, 16, 0, m, Perm::Unique, 0, false, true).unwrap();
        assert_eq!(stacks.borrow().runs.run_count(), 1);
        let tags: Vec<Tag> = stacks.borrow().stack_at(12).iter().map(|i| i.tag).collect();
        assert_eq!(tags, [0, m]);
        assert!(sb.tags.borrow().get(a).unwrap().invalidated.is_some() && sb.tags.borrow().get(b).unwrap().invalidated.is_some());
        // A field reborrowed by a running call (protected) cannot be popped.
        sb.protected.borrow_mut().insert(1);
        let c = sb.new_tag().unwrap();
        sb.retag(&stacks, &exposed, 1, 8, 8, m, c, Perm::SharedReadOnly, 1, false, true).unwrap();
        let e = sb.retag(&stacks, &exposed, 1, 0, 16, m, sb.new_tag().unwrap(), Perm::Unique, 0, false, true).unwrap_err();
        assert!(format!("{e:?}").contains("protected"), "{e:?}");
    }

    /// The state holding these stacks, one per byte, with no overlay.
    fn stacks_of(bytes: &[Stack]) -> SbStacks {
        let mut runs = RangeMap::new(bytes.len() as u64, bytes[0].clone());
        for (b, stack) in bytes.iter().enumerate() {
            runs.for_each_mut::<()>(b as u64, 1, |_, s| {
                *s = stack.clone();
                Ok(())
            })
            .unwrap();
        }
        SbStacks::new(runs)
    }

    /// Items copied at splits count toward a collection: once they reach what the last
    /// collection cost, one is due, though few items were pushed.
    #[test]
    fn copying_deep_stacks_makes_a_collection_due() {
        let sb = SbState::default();
        let stacks = new_stacks(8_000, false);
        let exposed = HashSet::new();
        let mut parent = 0;
        // (Read-write items: large read-only retags would go into the overlay.)
        for _ in 0..500 {
            let tag = sb.new_tag().unwrap();
            sb.retag(&stacks, &exposed, 1, 0, 8_000, parent, tag, Perm::SharedReadWrite, 0, false, true).unwrap();
            parent = tag;
        }
        // Only the work counts from here: pushes alone are far from due.
        sb.gc_threshold.set(u64::MAX / 2);
        sb.last_gc_cost.set(0);
        super::super::stacked::take_work();
        assert!(!sb.gc_due());
        let mut splits = 0;
        while !sb.gc_due() {
            // A retag of one element splits the deep run around it, copying its items.
            let tag = sb.new_tag().unwrap();
            sb.retag(&stacks, &exposed, 1, 8 * (splits + 1), 8, parent, tag, Perm::SharedReadOnly, 0, false, true).unwrap();
            splits += 1;
            assert!(splits < 1_000, "never due");
        }
        assert!(super::super::stacked::work() >= MIN_WORK_BEFORE_GC);
        assert!(splits * 500 >= MIN_WORK_BEFORE_GC / 2, "due only after about that many items copied ({splits} splits)");
        super::super::stacked::take_work();
        assert!(!sb.gc_due(), "a collection starts the count again");
    }

    /// A push onto one run that covers many 8-byte units counts once toward the threshold
    /// and once per unit toward the split bound, since a later split copies the stack into
    /// every part: a whole-slice retag repeated while the slice's stacks are merged brings a
    /// collection before the split could copy more than the bound.
    #[test]
    fn pushes_onto_merged_runs_count_per_unit() {
        let sb = SbState::default();
        let stacks = new_stacks(6_000 * 8, false);
        let exposed = HashSet::new();
        let mut parent = 0;
        // (Read-write items: large read-only retags would go into the overlay.)
        for _ in 0..10 {
            let tag = sb.new_tag().unwrap();
            sb.retag(&stacks, &exposed, 1, 0, 6_000 * 8, parent, tag, Perm::SharedReadWrite, 0, false, true).unwrap();
            parent = tag;
        }
        assert_eq!(stacks.borrow().runs.run_count(), 1, "one merged run");
        assert_eq!(sb.growth_since_gc.get(), 10);
        assert_eq!(sb.split_growth_since_gc.get(), 10 * 6_000);
        // One element: a split into three runs, one push counted.
        let tag = sb.new_tag().unwrap();
        sb.retag(&stacks, &exposed, 1, 8, 8, parent, tag, Perm::SharedReadOnly, 0, false, true).unwrap();
        assert_eq!(stacks.borrow().runs.run_count(), 3);
        assert_eq!((sb.growth_since_gc.get(), sb.split_growth_since_gc.get()), (11, 10 * 6_000 + 1));
        // Enough whole-slice retags reach the bound although the threshold is far.
        sb.gc_threshold.set(u64::MAX / 2);
        assert!(!sb.gc_due());
        sb.split_growth_since_gc.set(SPLIT_GROWTH_BOUND);
        sb.gc_threshold.set(64);
        assert!(sb.gc_due(), "due at the bound");
        sb.gc_threshold.set(SPLIT_GROWTH_BOUND * 2);
        assert!(!sb.gc_due(), "not before the threshold when the threshold is higher");
    }

    /// Reslicing a slice whose elements have distinct stacks (a reference kept to every
    /// third element) puts each new remainder into the overlay: the runs are not pushed to,
    /// whatever the length; a write then pushes the overlay onto the runs, and the stacks are
    /// what pushing every item onto them at once would have made.
    #[test]
    fn reslicing_goes_into_the_overlay_until_a_write() {
        let sb = SbState::default();
        let n = 3_000u64;
        let stacks = new_stacks(n * 8, false);
        let exposed = HashSet::new();
        let element = |i: u64| (8 * i, 8);
        for i in (0..n).step_by(3) {
            let (off, len) = element(i);
            sb.retag(&stacks, &exposed, 1, off, len, 0, sb.new_tag().unwrap(), Perm::SharedReadOnly, 0, false, true).unwrap();
        }
        let runs = stacks.borrow().runs.run_count();
        assert_eq!(runs as u64, 2 * n / 3);
        // The remainder `[k, n)` from the previous remainder, and a window of the first
        // elements read through its tag.
        let mut rest = 0;
        for k in 1..1_000u64 {
            let tag = sb.new_tag().unwrap();
            sb.retag(&stacks, &exposed, 1, 8 * k, 8 * (n - k), rest, tag, Perm::SharedReadOnly, 0, false, true).unwrap();
            let window = sb.new_tag().unwrap();
            sb.retag(&stacks, &exposed, 1, 8 * k, 24, tag, window, Perm::SharedReadOnly, 0, false, true).unwrap();
            sb.access(&stacks, &exposed, 1, 8 * k + 16, 8, AccessKind::Read, window).unwrap();
            rest = tag;
        }
        assert_eq!(stacks.borrow().runs.run_count(), runs, "no run was pushed to");
        assert_eq!(stacks.borrow().overlay_len(), 2 * 999);
        let before: Vec<Vec<Item>> = (0..n).map(|i| stacks.borrow().stack_at(8 * i)).collect();
        assert_eq!(before[2_000].len(), 1 + 999, "the base item and every remainder");
        // A read through the base tag is decided by the runs alone: nothing changes.
        sb.access(&stacks, &exposed, 1, 0, 8 * n, AccessKind::Read, 0).unwrap();
        assert_eq!(stacks.borrow().overlay_len(), 2 * 999);
        // A write through the last remainder pushes the overlay onto the runs first.
        sb.access(&stacks, &exposed, 1, 8 * 2_000, 8, AccessKind::Write, rest).unwrap_err();
        assert_eq!(stacks.borrow().overlay_len(), 0);
        for (i, want) in before.iter().enumerate() {
            assert_eq!(&stacks.borrow().stack_at(8 * i as u64), want, "element {i}");
        }
    }
}
