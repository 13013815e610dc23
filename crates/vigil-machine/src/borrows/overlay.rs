//! An allocation's borrow stacks: its range map of runs, and the read-only items retags
//! over many runs left on top of all of them as ranges (`SbStacks::overlay`) instead of
//! pushing them onto every run.
//!
//! Reslicing a slice whose elements have different stacks (a `&u64` kept to every third
//! element, say) retags the rest of the slice at every step, through several layers of
//! `Index` and `SliceIndex` calls: pushing each of those items onto every run makes a loop
//! over the slice quadratic in its length. A `SharedReadOnly` item that a retag would only
//! put on top goes instead into the overlay, a list of `(item, range)` above every run's
//! stack; a retag derived from such an item, or a read through it, is decided from the
//! overlay alone.
//!
//! Architecture invariant: the stack of a byte is its run's stack, then the overlay's items
//! whose range holds the byte, in the overlay's order (bottom first). Every overlay item is
//! `SharedReadOnly`, so a read (which disables only `Unique` items above its granting item)
//! never changes the overlay, and a read through a tag the overlay does not hold is decided
//! by the runs alone. Any other change to bytes the overlay covers first pushes the overlay
//! onto the runs (`materialize`), after which the rules work on the runs as if there had
//! been no overlay. Overlay items are in tag order (a retag always makes a new tag), which
//! makes finding a tag a binary search.

use super::range_map::RangeMap;
use super::stacked::{CallId, Item, Perm, Stack, Tag, TopMemo};

/// One read-only item on top of the stacks of `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeItem {
    pub item: Item,
    pub start: u64,
    pub end: u64,
}

/// The borrow stacks of one allocation (see the module's invariant).
pub struct SbStacks {
    pub runs: RangeMap<Stack>,
    /// Read-only items above every run's stack in their ranges, bottom first (tag order).
    overlay: Vec<RangeItem>,
    /// The bounds of the overlay's ranges (meaningless while it is empty).
    lo: u64,
    hi: u64,
}

/// A retag over at least this many runs, or over bytes the overlay covers, puts a read-only
/// item into the overlay rather than onto the runs.
pub const OVERLAY_MIN_RUNS: usize = 4;
/// So does a retag of at least this many bytes (a page): the elements it is then reborrowed
/// for go into the overlay too, instead of splitting the runs. Smaller ones go onto the runs:
/// a struct read through `&self` (a bignum of 168 bytes, a trait object's value) is written
/// again soon, which pushes overlay items back onto the runs, and the element references of
/// a smaller slice split at most 512 runs before its reslices span enough runs for the
/// overlay. (64 bytes before: box_dyn, sort2k, threads_mix 1.1% to 2.6% more instructions;
/// a loop over slices of 100 to 500 words, reborrowing their elements, 0.5% fewer.)
pub const OVERLAY_MIN_BYTES: u64 = 4096;

impl SbStacks {
    pub fn new(runs: RangeMap<Stack>) -> SbStacks {
        SbStacks { runs, overlay: Vec::new(), lo: 0, hi: 0 }
    }

    /// Whether these stacks are small enough to keep for reuse: few runs, and a first run
    /// (the one `reset` keeps) and overlay of a small capacity.
    pub fn small(&self, max_runs: usize, max_items: usize) -> bool {
        self.runs.run_count() <= max_runs
            && self.overlay.capacity() <= max_items
            && self.runs.first().is_none_or(|st| st.capacity() <= max_items)
    }

    /// Makes these stacks what `SbStacks::new(RangeMap::new(size, Stack::new(base)))` builds,
    /// in their own memory (a freed allocation's stacks reused, `spare.rs`).
    pub fn reset(&mut self, size: u64, base: Item) {
        self.overlay.clear();
        self.runs.reset(size, |st| st.reset(base), || Stack::new(base));
    }

    /// Whether the overlay holds any item.
    #[inline]
    pub fn has_overlay(&self) -> bool {
        !self.overlay.is_empty()
    }

    /// Whether some overlay item may lie on `[start, end)` (the bounds are conservative).
    #[inline]
    pub fn overlay_meets(&self, start: u64, end: u64) -> bool {
        !self.overlay.is_empty() && start < self.hi && self.lo < end
    }

    /// The overlay's items with tag `tag`.
    fn items_of(&self, tag: Tag) -> impl Iterator<Item = &RangeItem> {
        let i = self.overlay.partition_point(|r| r.item.tag < tag);
        self.overlay[i..].iter().take_while(move |r| r.item.tag == tag)
    }

    /// Whether one overlay item with `tag` covers all of `[start, end)`: a read through
    /// `tag` there, or a read-only retag from it, changes nothing (everything above that item
    /// is read-only too).
    #[inline]
    pub fn overlay_covers(&self, tag: Tag, start: u64, end: u64) -> bool {
        self.items_of(tag).any(|r| r.start <= start && end <= r.end)
    }

    /// Whether the overlay holds an item with `tag` anywhere.
    #[inline]
    pub fn overlay_holds(&self, tag: Tag) -> bool {
        self.items_of(tag).next().is_some()
    }

    /// Whether `f` holds for some overlay item.
    pub fn overlay_any(&self, f: impl Fn(&Item) -> bool) -> bool {
        self.overlay.iter().any(|r| f(&r.item))
    }

    /// Puts a read-only item on top of `[start, end)`.
    pub fn push_overlay(&mut self, item: Item, start: u64, end: u64) {
        debug_assert_eq!(item.perm, Perm::SharedReadOnly);
        debug_assert!(self.overlay.last().is_none_or(|r| r.item.tag <= item.tag), "overlay items in tag order");
        if self.overlay.is_empty() {
            (self.lo, self.hi) = (start, end);
        } else {
            (self.lo, self.hi) = (self.lo.min(start), self.hi.max(end));
        }
        self.overlay.push(RangeItem { item, start, end });
    }

    /// Pushes the overlay's items onto the runs, bottom first, and empties it: the runs then
    /// hold every byte's whole stack.
    #[inline]
    pub fn materialize(&mut self) {
        if !self.overlay.is_empty() {
            self.materialize_all();
        }
    }

    #[inline(never)]
    fn materialize_all(&mut self) {
        for r in std::mem::take(&mut self.overlay) {
            let len = r.end - r.start;
            let mut memo = (self.runs.runs_in(r.start, len) >= super::state::SHARE_MIN_RUNS).then(TopMemo::default);
            // The same item pushed onto every run keeps different runs different.
            let _ = self.runs.update_same::<()>(r.start, len, |_, _, stack| {
                match memo.as_mut() {
                    Some(memo) => stack.push_shared(r.item, memo),
                    None => stack.push_top(r.item),
                }
                Ok(true)
            });
        }
    }

    /// A write through a tag of the runs over `[start, end)`: it pops every overlay item
    /// there (all of them lie above its granting item, and none is compatible with a write),
    /// so each loses `[start, end)` from its range (keeping the parts on either side) and its
    /// tag goes into `removed`. Returns false, having changed nothing, if one of them is
    /// protected by a running call: the rules on the runs then report it.
    pub fn cut_overlay(&mut self, start: u64, end: u64, protected: impl Fn(CallId) -> bool, removed: &mut Vec<Tag>) -> bool {
        let meets = |r: &RangeItem| r.start < end && start < r.end;
        if self.overlay.iter().any(|r| meets(r) && r.item.protector != 0 && protected(r.item.protector)) {
            return false;
        }
        let mut kept = Vec::with_capacity(self.overlay.len() + 1);
        for r in self.overlay.drain(..) {
            if !meets(&r) {
                kept.push(r);
                continue;
            }
            removed.push(r.item.tag);
            if r.start < start {
                kept.push(RangeItem { end: start, ..r });
            }
            if end < r.end {
                kept.push(RangeItem { start: end, ..r });
            }
        }
        self.overlay = kept;
        self.retain_overlay(|_| true);
        true
    }

    /// Keeps the overlay items `keep` accepts (a collection of dead tags); returns how many
    /// are left.
    pub fn retain_overlay(&mut self, keep: impl Fn(&Item) -> bool) -> usize {
        self.overlay.retain(|r| keep(&r.item));
        if let Some(first) = self.overlay.first() {
            let (lo, hi) = self.overlay.iter().fold((first.start, first.end), |(lo, hi), r| (lo.min(r.start), hi.max(r.end)));
            (self.lo, self.hi) = (lo, hi);
        }
        self.overlay.len()
    }

    /// How many items the overlay holds.
    pub fn overlay_len(&self) -> usize {
        self.overlay.len()
    }

    /// The whole stack of byte `at`, bottom first (for checks and tests: the hot paths never
    /// build it).
    pub fn stack_at(&self, at: u64) -> Vec<Item> {
        let own = self.runs.get(at).iter().copied();
        own.chain(self.overlay.iter().filter(|r| r.start <= at && at < r.end).map(|r| r.item)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(tag: Tag) -> Item {
        Item { tag, perm: Perm::SharedReadOnly, protector: 0 }
    }

    #[test]
    fn overlay_items_lie_on_top_of_their_ranges_until_materialized() {
        let base = Stack::new(Item { tag: 0, perm: Perm::Unique, protector: 0 });
        let mut s = SbStacks::new(RangeMap::new(32, base));
        s.push_overlay(item(3), 0, 32);
        s.push_overlay(item(5), 8, 16);
        s.push_overlay(item(5), 24, 32);
        assert!(s.overlay_covers(3, 4, 30) && s.overlay_covers(5, 8, 16) && !s.overlay_covers(5, 8, 32));
        assert!(s.overlay_holds(5) && !s.overlay_holds(4) && !s.overlay_holds(6));
        assert!(s.overlay_meets(31, 40) && !s.overlay_meets(32, 40));
        let before: Vec<Vec<Item>> = (0..32).map(|b| s.stack_at(b)).collect();
        assert_eq!(before[9].iter().map(|i| i.tag).collect::<Vec<_>>(), [0, 3, 5]);
        assert_eq!(before[17].iter().map(|i| i.tag).collect::<Vec<_>>(), [0, 3]);
        s.materialize();
        assert_eq!(s.overlay_len(), 0);
        assert!(!s.overlay_meets(0, 32));
        for (b, want) in before.iter().enumerate() {
            assert_eq!(&s.stack_at(b as u64), want, "byte {b}");
            assert!(s.runs.get(b as u64).iter().eq(want.iter()), "byte {b} in the runs");
        }
        assert_eq!(s.runs.run_count(), 4, "[0, 8), [8, 16), [16, 24), [24, 32)");
    }

    #[test]
    fn a_write_cuts_its_range_out_of_the_overlay_unless_an_item_there_is_protected() {
        let base = Stack::new(Item { tag: 0, perm: Perm::Unique, protector: 0 });
        let mut s = SbStacks::new(RangeMap::new(64, base));
        s.push_overlay(item(1), 0, 64);
        s.push_overlay(Item { protector: 7, ..item(2) }, 16, 24);
        let mut removed = Vec::new();
        assert!(s.cut_overlay(8, 16, |c| c == 7, &mut removed));
        assert_eq!(removed, [1]);
        let tags_at = |s: &SbStacks, b: u64| s.stack_at(b).iter().map(|i| i.tag).collect::<Vec<_>>();
        assert_eq!((tags_at(&s, 4), tags_at(&s, 12), tags_at(&s, 20), tags_at(&s, 40)), (vec![0, 1], vec![0], vec![0, 1, 2], vec![0, 1]));
        assert!(s.overlay_covers(1, 16, 64) && !s.overlay_covers(1, 0, 16));
        // Item 2 is protected by a running call: nothing changes.
        removed.clear();
        assert!(!s.cut_overlay(20, 22, |c| c == 7, &mut removed));
        assert!(removed.is_empty() && tags_at(&s, 21) == [0, 1, 2]);
        // Once the call has ended, the write pops both.
        assert!(s.cut_overlay(0, 64, |_| false, &mut removed));
        assert_eq!((removed, s.overlay_len()), (vec![1, 1, 2], 0));
    }

    #[test]
    fn collections_drop_dead_overlay_items_and_shrink_the_bounds() {
        let base = Stack::new(Item { tag: 0, perm: Perm::Unique, protector: 0 });
        let mut s = SbStacks::new(RangeMap::new(64, base));
        s.push_overlay(item(1), 0, 64);
        s.push_overlay(item(2), 16, 24);
        s.push_overlay(item(3), 40, 48);
        assert_eq!(s.retain_overlay(|i| i.tag != 1), 2);
        assert!(!s.overlay_meets(0, 16) && s.overlay_meets(20, 21) && !s.overlay_meets(48, 64));
        assert_eq!(s.retain_overlay(|_| false), 0);
        assert!(!s.overlay_meets(0, 64));
    }
}
