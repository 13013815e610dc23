//! Tree Borrows garbage collection: dropping the nodes of tags no pointer holds.

use super::perm::{LocState, TbPerm};
use super::{NIL, NO_PARENT, Node, SpareStates, TbAlloc};
use crate::borrows::range_map::RangeMap;
use crate::borrows::stacked::CallId;

/// Working memory of collections, reused from tree to tree (a collection may look at
/// thousands of small trees: allocating it afresh for each costs more than the work).
#[derive(Default)]
pub struct CollectScratch {
    keep: Vec<bool>,
    new_index: Vec<u32>,
    kept_ancestor: Vec<u32>,
    parents: Vec<u32>,
    old_index: Vec<usize>,
    /// The targets of the aliases still held (`alias.rs`).
    alias_targets: Vec<u32>,
}

impl TbAlloc {
    /// Removes the tags no pointer holds any more (`live` says which are held) and no
    /// protector guards: leaves, and inner nodes whose children are at least as restricted
    /// as they are on every byte (so no access could be refused by the inner node that its
    /// children would allow, now or later); their children move up to the grandparent.
    /// Reslicing loops (`v = &v[1..]`) make long chains of such shared references.
    /// The main root always stays; the root of a wildcard-rooted tree stays while anything
    /// of its tree does (a tree with nothing live, exposed or protected left cannot be
    /// accessed, and wildcard accesses elsewhere do not look at it).
    pub fn retain_live(&mut self, live: &dyn Fn(u32) -> bool, protected: &dyn Fn(CallId) -> bool) {
        self.retain_live_with(live, protected, &mut CollectScratch::default(), &mut SpareStates::default());
    }

    /// `retain_live` with working memory of the caller's.
    pub fn retain_live_with(
        &mut self,
        live: &dyn Fn(u32) -> bool,
        protected: &dyn Fn(CallId) -> bool,
        scratch: &mut CollectScratch,
        spares: &mut SpareStates,
    ) {
        // An alias no pointer holds is forgotten; the others keep their targets.
        let targets = &mut scratch.alias_targets;
        targets.clear();
        if !self.aliases.is_empty() {
            self.retain_live_aliases(live, targets);
        }
        let len = self.nodes.len();
        if len == 1 {
            return;
        }
        let targets = &scratch.alias_targets;
        let held = |tag: u32| live(tag) || (!targets.is_empty() && targets.binary_search(&tag).is_ok());
        // Exposed tags stay usable through wildcard pointers.
        let dead = |node: &Node| !held(node.tag) && !node.exposed && !(node.protector != 0 && protected(node.protector));
        // Leaves first: children come after their parents, so walking backwards sees a
        // node's whole subtree before the node itself.
        let keep = &mut scratch.keep;
        keep.clear();
        keep.resize(len, false);
        keep[0] = true;
        for i in (1..len).rev() {
            let node = &self.nodes[i];
            if keep[i] || !dead(node) {
                keep[i] = true;
                if node.parent != NO_PARENT {
                    keep[node.parent as usize] = true;
                }
            }
        }
        // Then dead inner nodes that their remaining children make redundant.
        for i in 1..len {
            let node = &self.nodes[i];
            if keep[i]
                && node.parent != NO_PARENT
                && dead(node)
                && self.children(i as u32).all(|c| !keep[c as usize] || restricts(&node.states, &self.nodes[c as usize].states))
            {
                keep[i] = false;
            }
        }
        if keep.iter().all(|&k| k) {
            return;
        }
        // The new parent of a kept node: its nearest kept ancestor.
        let new_index = &mut scratch.new_index;
        new_index.clear();
        new_index.resize(len, NO_PARENT);
        let mut next = 0u32;
        for (i, &k) in keep.iter().enumerate() {
            if k {
                new_index[i] = next;
                next += 1;
            }
        }
        let kept_ancestor = &mut scratch.kept_ancestor;
        kept_ancestor.clear();
        kept_ancestor.resize(len, NO_PARENT);
        for i in 1..len {
            let p = self.nodes[i].parent;
            if p != NO_PARENT {
                kept_ancestor[i] = if keep[p as usize] { p } else { kept_ancestor[p as usize] };
            }
        }
        let parents = &mut scratch.parents;
        parents.clear();
        parents.extend(kept_ancestor.iter().map(|&a| if a == NO_PARENT { NO_PARENT } else { new_index[a as usize] }));
        let old_index = &mut scratch.old_index;
        old_index.clear();
        let mut i = 0;
        let history = &mut self.history;
        self.nodes.retain_mut(|node| {
            i += 1;
            if keep[i - 1] {
                old_index.push(i - 1);
                return true;
            }
            history.forget(node.events.count as usize);
            // Its byte states keep their memory for a new node.
            spares.keep(std::mem::replace(&mut node.states, RangeMap::empty()));
            false
        });
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.parent = parents[old_index[i]];
            (node.first_child, node.last_child, node.next_sibling, node.prev_sibling) = (NIL, NIL, NIL, NIL);
            (node.loud_head, node.loud_next, node.loud_prev) = ([NIL; 2], [NIL; 2], [NIL; 2]);
            node.exposed_below = node.exposed as u32;
        }
        // Children lists and subtree counts, bottom-up (children come after parents).
        for i in (1..self.nodes.len()).rev() {
            let (p, exposed) = (self.nodes[i].parent as usize, self.nodes[i].exposed_below);
            if p == NO_PARENT as usize {
                continue;
            }
            // Backwards, so prepending keeps the children in creation order.
            let first = self.nodes[p].first_child;
            self.nodes[i].next_sibling = first;
            self.nodes[p].first_child = i as u32;
            if first == NIL {
                self.nodes[p].last_child = i as u32;
            } else {
                self.nodes[first as usize].prev_sibling = i as u32;
            }
            // The node's own list is complete: its children come after it.
            for k in 0..2 {
                if self.nodes[i].subtree_loud(k) {
                    self.loud_link(p as u32, i as u32, k);
                }
            }
            self.nodes[p].exposed_below += exposed;
        }
        // The tree changed shape: what was quiet around a node is looked at again.
        self.bump_loud_version(0);
        self.bump_loud_version(1);
        self.wild_roots.retain(|&r| keep[r as usize]);
        for r in &mut self.wild_roots {
            *r = new_index[*r as usize];
        }
        self.last_noop = None;
    }
}

impl TbAlloc {
    /// Removes every node whose tag is `tag` or newer: the caller knows no pointer holds any
    /// of those tags and no protector guards them (`young.rs`). They are the last nodes (tags
    /// grow with the index), so their parents' lists lose their newest members only.
    pub fn truncate_from(&mut self, tag: u32, spares: &mut SpareStates) {
        self.truncate_aliases(tag);
        let cut = self.nodes.partition_point(|n| n.tag < tag);
        if cut == self.nodes.len() || cut == 0 {
            return;
        }
        // Newest first: a node's children are gone (and off its loud lists) before it is.
        for i in (cut..self.nodes.len()).rev() {
            debug_assert!(!self.nodes[i].exposed, "an exposed tag is never collected this way");
            // Quiet, it leaves its parent's loud lists (and so on up while subtrees go quiet).
            self.set_loud(i as u32, [false, false], [(0, 0), (0, 0)]);
            let (p, prev) = (self.nodes[i].parent, self.nodes[i].prev_sibling);
            if p != NO_PARENT && (p as usize) < cut {
                // `i` is its parent's last child: the newer ones went first.
                debug_assert_eq!(self.nodes[p as usize].last_child, i as u32);
                self.nodes[p as usize].last_child = prev;
                match prev {
                    NIL => self.nodes[p as usize].first_child = NIL,
                    prev => self.nodes[prev as usize].next_sibling = NIL,
                }
            }
        }
        for node in self.nodes.drain(cut..) {
            self.history.forget(node.events.count as usize);
            spares.keep(node.states);
        }
        self.wild_roots.retain(|&r| (r as usize) < cut);
        if self.last_noop.is_some_and(|(t, ..)| t >= tag) {
            self.last_noop = None;
        }
    }
}

/// Whether `child` is at least as restricted as `parent` on every byte, in a way every
/// later access keeps (the parent is dead and unprotected): then any access the parent
/// would refuse, the child (nearer the accessed tag) refuses first, and the parent's own
/// changes matter to nobody. Per byte: anything below a `Cell`; anything but a `Cell`
/// below a `Reserved (interior mutable)`; anything but those two below a `Reserved` (a
/// foreign write disables both, and only they survive one); `Unique`, `Frozen` or
/// `Disabled` below `Unique` (a `Reserved` child would stay writable after a foreign read
/// froze the parent); `Frozen` or `Disabled` below `Frozen`; `Disabled` below `Disabled`.
/// The relation holds after every access: one from a sibling is a child access for the
/// parent (it keeps or gains rights) and a foreign one for the child.
fn restricts(parent: &RangeMap<LocState>, child: &RangeMap<LocState>) -> bool {
    let (mut p, mut c) = (parent.runs().peekable(), child.runs().peekable());
    while let (Some(&(_, pe, ps)), Some(&(_, ce, cs))) = (p.peek(), c.peek()) {
        let ok = match ps.perm {
            TbPerm::Cell => true,
            TbPerm::ReservedIm => cs.perm != TbPerm::Cell,
            TbPerm::Reserved { .. } => !matches!(cs.perm, TbPerm::Cell | TbPerm::ReservedIm),
            TbPerm::Unique => matches!(cs.perm, TbPerm::Unique | TbPerm::Frozen | TbPerm::Disabled),
            TbPerm::Frozen => matches!(cs.perm, TbPerm::Frozen | TbPerm::Disabled),
            TbPerm::Disabled => cs.perm == TbPerm::Disabled,
        };
        if !ok {
            return false;
        }
        if pe <= ce {
            p.next();
        }
        if ce <= pe {
            c.next();
        }
    }
    true
}
