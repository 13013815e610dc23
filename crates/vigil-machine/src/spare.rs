//! The buffers of freed allocations, kept for new ones: a call's memory-backed locals are
//! allocated and freed with every call, and each record owns its bytes, their
//! initialization, its provenance list and, under Stacked Borrows, its borrow stacks. New
//! allocations reuse these instead of going to the system allocator (four allocations and
//! four frees per local and call otherwise).
//!
//! Architecture Invariant: what comes out of `Spares` is indistinguishable from a fresh
//! value (zeroed bytes, all uninitialized, no provenance, one stack holding the base item);
//! only capacities are kept. Only small buffers are kept, and a bounded number of each, so
//! the pool never holds more than a few megabytes (most of it the tag trees: 64 of up to
//! 256 nodes).

use std::cell::RefCell;

use crate::borrows::overlay::SbStacks;
use crate::borrows::range_map::RangeMap;
use crate::borrows::stacked::{Item, Stack};
use crate::borrows::tree::{SpareStates, TbAlloc};
use crate::prov_map::ProvList;

/// At most this many buffers of each kind are kept.
const MAX_KEPT: usize = 64;
/// Byte buffers of a larger capacity are freed, not kept.
const MAX_BYTES: usize = 1024;
/// Provenance lists of a larger capacity are freed, not kept.
const MAX_PROV: usize = 64;
/// Borrow stacks split into more runs than this, or whose first stack or overlay has room
/// for more items than `MAX_ITEMS`, are freed, not kept.
const MAX_RUNS: usize = 16;
const MAX_ITEMS: usize = 64;
/// Tag trees with room for more nodes than this are freed, not kept. A local that many
/// calls reborrow (a `Formatter`, a `String` being written) grows a tree of 50-250 nodes
/// between collections: kept, the next call's tree does not grow its vectors again (with
/// 16, a tenth of `string_fmt`'s trees were made afresh; 1.3% of its instructions under
/// Tree Borrows went to growing them). At most about 2.5 MB of nodes.
const MAX_NODES: usize = 256;

#[derive(Default)]
pub struct Spares {
    /// Bytes and their initialization, of equal capacity bounds.
    bytes: Vec<(Vec<u8>, Vec<u8>)>,
    prov: Vec<ProvList>,
    stacks: Vec<SbStacks>,
    /// (Boxed as the records hold them: handing one out moves no tree.)
    #[allow(clippy::vec_box)]
    trees: Vec<Box<RefCell<TbAlloc>>>,
}

impl Spares {
    /// `size` zero bytes and their initialization state (all uninitialized).
    #[inline]
    pub fn bytes(&mut self, size: usize) -> (Vec<u8>, Vec<u8>) {
        if size <= MAX_BYTES
            && let Some((mut bytes, mut init)) = self.bytes.pop()
        {
            bytes.clear();
            bytes.resize(size, 0);
            init.clear();
            init.resize(size, 0);
            return (bytes, init);
        }
        (vec![0; size], vec![0; size])
    }

    /// An empty provenance list.
    #[inline]
    pub fn prov(&mut self) -> ProvList {
        self.prov.pop().unwrap_or_default()
    }

    /// The borrow stacks of a new allocation of `size` bytes: one run holding `base`.
    #[inline]
    pub fn stacks(&mut self, size: u64, base: Item) -> SbStacks {
        match self.stacks.pop() {
            Some(mut s) => {
                s.reset(size, base);
                s
            }
            None => SbStacks::new(RangeMap::new(size, Stack::new(base))),
        }
    }

    /// The tag tree of a new allocation of `size` bytes: the root alone.
    #[inline]
    pub fn tree(&mut self, size: u64, states: &mut SpareStates) -> Box<RefCell<TbAlloc>> {
        match self.trees.pop() {
            Some(mut t) => {
                t.get_mut().reset(size, states);
                t
            }
            None => Box::new(RefCell::new(TbAlloc::new(size))),
        }
    }

    /// Keeps a freed allocation's buffers (or frees them).
    #[inline]
    pub fn keep(&mut self, bytes: Vec<u8>, init: Vec<u8>, mut prov: ProvList, stacks: Option<SbStacks>) {
        if self.bytes.len() < MAX_KEPT && bytes.capacity() <= MAX_BYTES && init.capacity() <= MAX_BYTES {
            self.bytes.push((bytes, init));
        }
        if self.prov.len() < MAX_KEPT && prov.capacity() <= MAX_PROV && prov.capacity() > 0 {
            prov.clear();
            self.prov.push(prov);
        }
        if let Some(s) = stacks
            && self.stacks.len() < MAX_KEPT
            && s.small(MAX_RUNS, MAX_ITEMS)
        {
            self.stacks.push(s);
        }
    }

    /// Keeps a freed allocation's tag tree, or else the byte-state maps of its nodes (in
    /// `states`, the pool all trees' new nodes take from).
    #[inline]
    pub fn keep_tree(&mut self, mut tree: Box<RefCell<TbAlloc>>, states: &mut SpareStates) {
        if self.trees.len() < MAX_KEPT && tree.get_mut().small(MAX_NODES) {
            self.trees.push(tree);
        } else {
            tree.into_inner().release_states(states);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::borrows::stacked::Perm;

    #[test]
    fn reused_buffers_are_as_fresh() {
        let mut spares = Spares::default();
        let (mut bytes, mut init) = spares.bytes(16);
        bytes.fill(0xaa);
        init.fill(1);
        let mut prov = spares.prov();
        prov.push((0, crate::prov_map::ProvPart::whole(crate::memory::Prov { alloc: 3, tag: 4 })));
        let base = Item { tag: 0, perm: Perm::Unique, protector: 0 };
        let mut stacks = spares.stacks(16, base);
        stacks
            .runs
            .update_same(4, 4, |_, _, st| {
                st.push_top(Item { tag: 9, perm: Perm::SharedReadOnly, protector: 0 });
                Ok::<_, ()>(true)
            })
            .unwrap();
        assert!(stacks.runs.run_count() > 1);
        spares.keep(bytes, init, prov, Some(stacks));

        let (bytes, init) = spares.bytes(8);
        assert_eq!((bytes, init), (vec![0; 8], vec![0; 8]));
        assert!(spares.prov().is_empty());
        let stacks = spares.stacks(8, base);
        assert_eq!(stacks.runs.run_count(), 1);
        assert!(!stacks.has_overlay());
        let mut seen = Vec::new();
        stacks.runs.for_each_in(0, 8, |_, st| {
            seen.push(st.iter().copied().collect::<Vec<_>>());
            true
        });
        assert_eq!(seen, [vec![base]]);
    }

    #[test]
    fn large_buffers_are_not_kept() {
        let mut spares = Spares::default();
        spares.keep(vec![0; MAX_BYTES + 1], vec![0; MAX_BYTES + 1], Vec::with_capacity(MAX_PROV + 1), None);
        assert!(spares.bytes.is_empty() && spares.prov.is_empty());
    }
}
