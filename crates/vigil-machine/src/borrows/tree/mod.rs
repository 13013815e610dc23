//! Tree Borrows: per allocation a tree of tags and, per tag and byte, a permission that
//! changes on child accesses (through the tag or a descendant) and foreign accesses.
//!
//! Layout: node-major. Every node keeps its own `RangeMap` of byte states, so a node
//! whose state does not change is never split, a new node costs one map, and removing a
//! dead node (garbage collection) touches nobody else. An access visits the accessed tag's
//! ancestors (child access) and the subtrees hanging off that path (foreign access),
//! skipping every subtree in which no node could change: each node counts the "loud" nodes
//! of its subtree, those with a byte a foreign read (or write) would change. Frozen shared
//! references, for instance, are quiet for foreign reads, so a thousand live `&T` under a
//! `Vec` cost nothing when the `Vec` is read. The visited nodes are scanned first (no
//! mutation), so a refused access changes nothing and an access that changes nothing
//! splits nothing.

mod alias;
#[cfg(test)]
mod alias_tests;
mod collect;
mod display;
mod history;
mod perm;
mod report;
#[cfg(test)]
mod tests;
mod wildcard;
#[cfg(test)]
mod wildcard_tests;

use vigil_ir::{FnId, SpanId};

use super::range_map::RangeMap;
use super::stacked::{AccessKind, CallId};
use history::{Events, History};
use report::{Event, Refusal};

pub use collect::CollectScratch;
use perm::LocState;
pub use perm::TbPerm;
pub use report::{Cause, TbError, Through};

/// A program point (function and span), for the history shown in reports.
pub type Site = (FnId, SpanId);

const NO_PARENT: u32 = u32::MAX;
/// The end of a list threaded through the nodes.
const NIL: u32 = u32::MAX;

/// Laid out in this order (`repr(C)`): what the walk of an access reads of each node it
/// passes (`collect`, `settled`: the byte states, the protector, the parent and the loud
/// lists and marks) comes first, within 64 bytes, so that a step up the tree touches one or
/// two cache lines rather than the whole node.
#[repr(C)]
struct Node {
    states: RangeMap<LocState>,
    /// The call whose protector guards this tag (0: none).
    protector: CallId,
    parent: u32,
    /// Per access kind, the children whose subtree holds a loud node, a list threaded
    /// through them (`loud_next` / `loud_prev` in the children; no order): an access looks
    /// only at these (a node may have thousands of quiet children, e.g. live `&T`s). A
    /// node is in its parent's list exactly while its subtree is loud (`subtree_loud`):
    /// a node going loud or quiet changes the lists only up to the first ancestor whose
    /// subtree stays loud, not up to the root.
    loud_head: [u32; 2],
    loud_next: [u32; 2],
    /// Per access kind, the tree's `loud_version` when no node but this one and its
    /// ancestors was found loud: until the version changes, an access through this node
    /// has no foreign node to visit (0: not known).
    quiet_around: [u32; 2],
    /// Whether some byte of this node would change on a foreign read / write.
    loud: [bool; 2],
    /// A weak protector (`Box` arguments) does not forbid deallocation.
    weak: bool,
    /// A pointer with this tag was cast to an integer: pointers made from the address
    /// (wildcards) may act as this tag.
    exposed: bool,
    /// Per access kind, the bytes that span this node's loud runs: an access elsewhere
    /// changes nothing here (its subtree may still need a look).
    loud_span: [(u64, u64); 2],
    /// Per access kind, the tree's `loud_version` when no node outside this one's subtree
    /// and its ancestors was found loud (0: not known): what the end of its protector, an
    /// access that skips the subtree, needs to know. Unlike `quiet_around`, it survives a
    /// node in its subtree turning loud (`bump_loud_version_below`), as in a call that
    /// reborrows its protected argument.
    quiet_outside: [u32; 2],
    tag: u32,
    loud_prev: [u32; 2],
    /// The first and last child, in creation order, and the next sibling (`NIL`: none):
    /// lists threaded through the nodes, so that a node costs no allocation for them.
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// The sibling before this node (`NIL`: none), so that the newest children are taken
    /// off their parent's list without walking it (`truncate_from`).
    prev_sibling: u32,
    /// How many nodes of the subtree (this one included) are exposed.
    exposed_below: u32,
    /// Its permission changes in the tree's history.
    events: Events,
    created: Option<Site>,
    initial: TbPerm,
}

// The walk's fields stay in the node's first 64 bytes (see `Node`).
const _: () = assert!(std::mem::offset_of!(Node, loud_span) == 64 && std::mem::size_of::<Node>() <= 168);

/// What an access is: its kind, why it happens (for reports), which calls' protectors are
/// in force, and the program point it happens at.
#[derive(Clone, Copy)]
pub struct Access<'a> {
    pub kind: AccessKind,
    pub cause: Cause,
    pub protected: &'a dyn Fn(CallId) -> bool,
    pub site: Site,
}

/// Index of an access kind in `loud` and the loud lists.
fn k(kind: AccessKind) -> usize {
    match kind {
        AccessKind::Read => 0,
        AccessKind::Write => 1,
    }
}

impl Node {
    #[allow(clippy::too_many_arguments)]
    fn new(
        tag: u32,
        parent: u32,
        protector: CallId,
        weak: bool,
        states: RangeMap<LocState>,
        created: Option<Site>,
        initial: TbPerm,
    ) -> Node {
        Node {
            tag,
            parent,
            protector,
            weak,
            states,
            created,
            initial,
            events: Events::NONE,
            first_child: NIL,
            last_child: NIL,
            next_sibling: NIL,
            prev_sibling: NIL,
            loud_head: [NIL; 2],
            loud_next: [NIL; 2],
            loud_prev: [NIL; 2],
            // Loudness is computed once the node is in the tree (the root never sees a
            // foreign access, so it stays quiet).
            loud: [false, false],
            quiet_around: [0, 0],
            quiet_outside: [0, 0],
            loud_span: [(0, 0), (0, 0)],
            exposed: false,
            exposed_below: 0,
        }
    }

    /// Whether this node or one below it is loud for access kind `k`.
    #[inline]
    fn subtree_loud(&self, k: usize) -> bool {
        self.loud[k] || self.loud_head[k] != NIL
    }

    /// Which foreign accesses could change this node (`TbPerm::loud_bits` of some byte),
    /// and, per kind, the bytes spanning every loud run.
    fn compute_loud(&self) -> ([bool; 2], [(u64, u64); 2]) {
        let protected = self.protector != 0;
        let mut loud = [false, false];
        let mut span = [(u64::MAX, 0), (u64::MAX, 0)];
        // Runs come in order: a span starts at its first loud run and ends with its last.
        self.states.for_each_run(|start, end, st| {
            let bits = st.perm.loud_bits(protected);
            for (k, (loud, span)) in loud.iter_mut().zip(&mut span).enumerate() {
                if bits & (1 << k) != 0 {
                    if !*loud {
                        *loud = true;
                        span.0 = start;
                    }
                    span.1 = end;
                }
            }
        });
        (loud, span)
    }
}

/// The tag tree of one allocation.
pub struct TbAlloc {
    /// In creation order, so parents come before their children and tags increase (a tag
    /// is found by binary search).
    nodes: Vec<Node>,
    /// The roots of the allocation's other trees (the main tree's is node 0), one per
    /// retag of a wildcard pointer, in tag order (see `wildcard.rs`).
    wild_roots: Vec<u32>,
    size: u64,
    /// The nodes' permission changes, for reports.
    history: History,
    /// Scratch: the nodes the current access visits, and whether it is a child access for them.
    visit: Vec<(u32, bool)>,
    /// Scratch: the visited nodes whose state the current access changes.
    dirty: Vec<(u32, bool)>,
    /// Scratch: subtrees still to look at.
    pending: Vec<u32>,
    /// Scratch of `perform`, per dirty node: whether its update repeats the one before,
    /// and whether its protector is in force.
    repeats: Vec<(bool, bool)>,
    /// Scratch of `perform`: the events of the last update, for the repeats.
    events: Vec<Event>,
    /// Tests: update every node on its own, to compare against; how many updates were
    /// repeats.
    #[cfg(test)]
    no_repeats: bool,
    #[cfg(test)]
    repeated: usize,
    /// Scratch of wildcard passes, per node (see `wildcard.rs`).
    wild_below: Vec<u32>,
    /// The last access (tag, kind, start, end), or the last ones of one kind through one tag
    /// over adjoining bytes, valid until anything else changes the tree: repeating it (or a
    /// read inside a write) changes nothing, since every transition is idempotent.
    last_noop: Option<(u32, AccessKind, u64, u64)>,
    /// Per access kind, changed whenever a node turns loud or the tree is reshaped (see
    /// `Node::quiet_around`); never 0.
    loud_version: [u32; 2],
    /// Tags without a node of their own (`alias.rs`), in tag order.
    aliases: Vec<alias::Alias>,
    /// While an access through an alias is made as one through its target: the alias, for
    /// the report of a refusal.
    via_alias: Option<alias::Alias>,
}

/// Byte-state maps with room for more runs than this are not kept for reuse.
const SMALL_STATES: usize = 16;

/// The byte-state maps of removed nodes (by collections, or with a tree reused for a new
/// allocation), shared by every tree (`SbState::tree_spares`): a new node takes one
/// instead of allocating its own. Only small maps are kept, and at most `MAX` of them.
#[derive(Default)]
pub struct SpareStates {
    maps: Vec<RangeMap<LocState>>,
}

impl SpareStates {
    const MAX: usize = 1024;

    fn keep(&mut self, map: RangeMap<LocState>) {
        if self.maps.len() < Self::MAX && map.capacity() <= SMALL_STATES {
            self.maps.push(map);
        }
    }

    /// `beyond` over `[0, size)` but for `ranges` (what `RangeMap::from_ranges` builds), in
    /// a kept map's memory if there is one.
    fn take(&mut self, size: u64, beyond: LocState, ranges: impl ExactSizeIterator<Item = (u64, u64, LocState)>) -> RangeMap<LocState> {
        match self.maps.pop() {
            Some(mut map) => {
                map.refill(size, beyond, ranges);
                map
            }
            None => RangeMap::from_ranges(size, beyond, ranges),
        }
    }
}

impl TbAlloc {
    pub fn new(size: u64) -> TbAlloc {
        let root =
            Node::new(0, NO_PARENT, 0, false, RangeMap::new(size, LocState { perm: TbPerm::Unique, accessed: true }), None, TbPerm::Unique);
        TbAlloc {
            nodes: vec![root],
            wild_roots: Vec::new(),
            size,
            history: History::default(),
            visit: Vec::new(),
            dirty: Vec::new(),
            pending: Vec::new(),
            repeats: Vec::new(),
            events: Vec::new(),
            #[cfg(test)]
            no_repeats: false,
            #[cfg(test)]
            repeated: 0,
            wild_below: Vec::new(),
            last_noop: None,
            loud_version: [1, 1],
            aliases: Vec::new(),
            via_alias: None,
        }
    }

    /// Makes this tree what `TbAlloc::new(size)` builds, keeping its vectors' memory (a
    /// freed allocation's tree reused, `spare.rs`): the other nodes' byte states become
    /// spare states, as in a collection.
    pub fn reset(&mut self, size: u64, spares: &mut SpareStates) {
        for node in self.nodes.drain(1..) {
            spares.keep(node.states);
        }
        let mut states = std::mem::replace(&mut self.nodes[0].states, RangeMap::empty());
        states.refill(size, LocState { perm: TbPerm::Unique, accessed: true }, std::iter::empty());
        self.nodes[0] = Node::new(0, NO_PARENT, 0, false, states, None, TbPerm::Unique);
        self.wild_roots.clear();
        self.size = size;
        self.history.clear();
        self.visit.clear();
        self.dirty.clear();
        self.pending.clear();
        self.wild_below.clear();
        self.last_noop = None;
        self.loud_version = [1, 1];
        self.aliases.clear();
    }

    /// Drops the tree, keeping its nodes' byte-state maps in `spares`.
    pub fn release_states(self, spares: &mut SpareStates) {
        for node in self.nodes {
            spares.keep(node.states);
        }
    }

    /// Whether this tree is small enough to keep for reuse (`spare.rs`).
    pub fn small(&self, max_nodes: usize) -> bool {
        self.nodes.capacity() <= max_nodes && self.history.capacity() <= 4 * max_nodes && self.nodes[0].states.capacity() <= SMALL_STATES
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn find(&self, tag: u32) -> Option<u32> {
        self.nodes.binary_search_by_key(&tag, |n| n.tag).ok().map(|i| i as u32)
    }

    fn node_of(&self, tag: u32) -> u32 {
        // Every pointer's tag is in its allocation's tree (raw pointers keep their parent's
        // tag), as a node or an alias; the root stands in should that ever not hold.
        self.find_acting(tag).unwrap_or_else(|| {
            if std::env::var_os("VIGIL_CHECK_NODES").is_some() {
                panic!("CHECK_NODES: tag {tag} has no node");
            }
            0
        })
    }

    /// Fills `visit` for an access of `kind` through node `n` over `[offset, offset+size)`:
    /// `n` and its ancestors (child access), then every loud node of the subtrees hanging off
    /// that path (foreign access). With `skip_own`, `n` and its descendants are left out (a
    /// protector's end).
    ///
    /// The path above a node that is settled on every byte of the range (accessed, and
    /// still able to read, or for a write `Unique`) is left out: that node's ancestors were
    /// checked (and marked accessed) when it first accessed those bytes, and the only way an
    /// ancestor can lose a permission since is a foreign access to it, which is foreign to
    /// the settled node as well and would have unsettled it.
    fn collect(&mut self, n: u32, kind: AccessKind, skip_own: bool, offset: u64, size: u64) {
        let k = k(kind);
        self.visit.clear();
        // (With `skip_own`, the first node the access meets is the parent.)
        let mut settled = if skip_own {
            let parent = self.nodes[n as usize].parent;
            parent != NO_PARENT && self.settled(parent, kind, offset, size)
        } else {
            self.settled(n, kind, offset, size)
        };
        // Whether the foreign part is known to be empty (only for the main tree alone): with
        // `skip_own` too, as the mark says nothing but `n` and its ancestors is loud; with
        // `skip_own` alone, `quiet_outside` says nothing outside `n`'s subtree and ancestors is.
        let version = self.loud_version[k];
        let node = &self.nodes[n as usize];
        let remembered = self.wild_roots.is_empty() && (node.quiet_around[k] == version || (skip_own && node.quiet_outside[k] == version));
        if settled {
            let root = if self.wild_roots.is_empty() { 0 } else { self.root_of(n) };
            if remembered || !self.nodes[root as usize].subtree_loud(k) {
                return;
            }
        }
        if remembered {
            // The child part alone: up to the first settled ancestor.
            let mut cur = if skip_own { self.nodes[n as usize].parent } else { n };
            while cur != NO_PARENT && !self.settled(cur, kind, offset, size) {
                self.visit.push((cur, true));
                cur = self.nodes[cur as usize].parent;
            }
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        // Whether some node off the path is loud (for any bytes): below `n`, and elsewhere.
        let mut loud_below = false;
        let mut loud_off_path = false;
        if !skip_own {
            if !settled {
                self.visit.push((n, true));
            }
            loud_below = self.nodes[n as usize].loud_head[k] != NIL;
            pending.extend(self.loud_children(n, k));
        }
        let mut prev = n;
        let mut cur = self.nodes[n as usize].parent;
        while cur != NO_PARENT {
            if !settled {
                settled = self.settled(cur, kind, offset, size);
                if !settled {
                    self.visit.push((cur, true));
                }
            }
            let node = &self.nodes[cur as usize];
            // Only look at the children when some subtree below but `prev`'s is loud.
            let head = node.loud_head[k];
            if head != NIL && (head != prev || self.nodes[prev as usize].loud_next[k] != NIL) {
                loud_off_path = true;
                pending.extend(self.loud_children(cur, k).filter(|&c| c != prev));
            }
            prev = cur;
            cur = node.parent;
        }
        if !loud_off_path && self.wild_roots.is_empty() {
            if !loud_below && !skip_own {
                self.nodes[n as usize].quiet_around[k] = version;
            }
            // Nothing off the path is loud: for `n` and every ancestor, nothing outside its
            // subtree is. (Marking the path as the walk passes it, taking the marks back below
            // a level with a loud node off the path, cost more than it saved: `refs_list`
            // +2.7%, `threads_mix` +3.8% under Tree Borrows.)
            let mut cur = n;
            while cur != NO_PARENT {
                let node = &mut self.nodes[cur as usize];
                node.quiet_outside[k] = version;
                cur = node.parent;
            }
        }
        while let Some(c) = pending.pop() {
            let node = &self.nodes[c as usize];
            if !node.subtree_loud(k) {
                continue;
            }
            let (lo, hi) = node.loud_span[k];
            if node.loud[k] && lo < offset + size && offset < hi {
                self.visit.push((c, false));
            }
            if node.loud_head[k] != NIL {
                pending.extend(self.loud_children(c, k));
            }
        }
        self.pending = pending;
    }

    /// Whether node `i` is settled for child accesses of `kind` on the range (see `collect`).
    fn settled(&self, i: u32, kind: AccessKind, offset: u64, size: u64) -> bool {
        let mut ok = true;
        self.nodes[i as usize].states.for_each_in(offset, size, |_, st| {
            ok = st.accessed
                && match kind {
                    AccessKind::Read => matches!(st.perm, TbPerm::Frozen | TbPerm::Reserved { .. } | TbPerm::Unique),
                    AccessKind::Write => st.perm == TbPerm::Unique,
                };
            ok
        });
        ok
    }

    /// Recomputes node `i`'s loudness and updates the counts of its ancestors.
    #[inline]
    fn refresh_loud(&mut self, i: u32) {
        if i == 0 {
            return;
        }
        let (new, span) = self.nodes[i as usize].compute_loud();
        self.set_loud(i, new, span);
    }

    /// Makes node `i` loud as `new` says on the bytes `span` says, and updates the counts
    /// of its ancestors.
    #[inline]
    fn set_loud(&mut self, i: u32, new: [bool; 2], span: [(u64, u64); 2]) {
        if i == 0 {
            return;
        }
        let old = self.nodes[i as usize].loud;
        self.nodes[i as usize].loud_span = span;
        // (Mostly the node stays as loud as it was: the lists change only otherwise.)
        if new != old {
            self.relink_loud(i, old, new);
        }
    }

    /// `set_loud` of a node whose loudness changes from `old` to `new`: the loud lists and
    /// marks.
    #[inline(never)]
    fn relink_loud(&mut self, i: u32, old: [bool; 2], new: [bool; 2]) {
        for k in 0..2 {
            if new[k] == old[k] {
                continue;
            }
            // A node turning quiet leaves every "nothing loud around" mark true.
            if new[k] {
                self.bump_loud_version_below(k, i);
            }
            // Up from `i` while a subtree turns loud or quiet: its parent's list follows.
            let mut cur = i;
            let mut was = self.nodes[i as usize].subtree_loud(k);
            self.nodes[i as usize].loud[k] = new[k];
            loop {
                let node = &self.nodes[cur as usize];
                let (now, parent) = (node.subtree_loud(k), node.parent);
                if now == was || parent == NO_PARENT {
                    break;
                }
                let parent_was = self.nodes[parent as usize].subtree_loud(k);
                if now {
                    self.loud_link(parent, cur, k);
                } else {
                    self.loud_unlink(parent, cur, k);
                }
                (cur, was) = (parent, parent_was);
            }
        }
    }

    /// `refresh_loud` of node `i`, just added (quiet so far, no children): for each access
    /// kind it is loud for, it joins its parent's list, and so on up while a subtree was
    /// quiet. (What `relink_loud` does from a quiet, childless node, without its general
    /// walk: every reborrow adds a node.)
    fn link_new_loud(&mut self, i: u32) {
        debug_assert!(i != 0 && self.nodes[i as usize].loud == [false; 2] && self.nodes[i as usize].first_child == NIL);
        let (new, span) = self.nodes[i as usize].compute_loud();
        self.nodes[i as usize].loud_span = span;
        for (k, &loud) in new.iter().enumerate() {
            if !loud {
                continue;
            }
            self.bump_loud_version_below(k, self.nodes[i as usize].parent);
            self.nodes[i as usize].loud[k] = true;
            let mut cur = i;
            loop {
                let parent = self.nodes[cur as usize].parent;
                if parent == NO_PARENT {
                    break;
                }
                let parent_was = self.nodes[parent as usize].subtree_loud(k);
                self.loud_link(parent, cur, k);
                if parent_was {
                    break;
                }
                cur = parent;
            }
        }
    }

    /// Forgets every node's marks (`quiet_around`, `quiet_outside`) for access kind `k`:
    /// the loud nodes changed.
    fn bump_loud_version(&mut self, k: usize) {
        self.loud_version[k] = self.loud_version[k].wrapping_add(1);
        if self.loud_version[k] == 0 {
            // Wrapped: clear the old marks rather than let one match again.
            self.loud_version[k] = 1;
            for node in &mut self.nodes {
                node.quiet_around[k] = 0;
                node.quiet_outside[k] = 0;
            }
        }
    }

    /// `bump_loud_version` for a node turning loud in the subtree of `from`: `from` and its
    /// ancestors keep a true `quiet_outside` (the node is inside their subtrees). Only the
    /// marks up from `from` that were current are renewed, as far as they go on (renewing
    /// every ancestor's, up to the root at each new loud node, made `string_fmt` 1.5% slower).
    fn bump_loud_version_below(&mut self, k: usize, from: u32) {
        let old = self.loud_version[k];
        self.bump_loud_version(k);
        let new = self.loud_version[k];
        if new != old.wrapping_add(1) {
            return;
        }
        let mut cur = from;
        while cur != NO_PARENT && self.nodes[cur as usize].quiet_outside[k] == old {
            self.nodes[cur as usize].quiet_outside[k] = new;
            cur = self.nodes[cur as usize].parent;
        }
    }

    /// The nodes of a list threaded through the nodes: from `first`, each one's `next`.
    fn threaded<'a>(&'a self, first: u32, next: impl Fn(&Node) -> u32 + 'a) -> impl Iterator<Item = u32> + 'a {
        let mut cur = first;
        std::iter::from_fn(move || {
            let c = cur;
            (c != NIL).then(|| {
                cur = next(&self.nodes[c as usize]);
                c
            })
        })
    }

    /// The children of node `i`, in creation order.
    fn children(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        self.threaded(self.nodes[i as usize].first_child, |n| n.next_sibling)
    }

    /// The children of node `i` whose subtree holds a node loud for access kind `k`.
    fn loud_children(&self, i: u32, k: usize) -> impl Iterator<Item = u32> + '_ {
        self.threaded(self.nodes[i as usize].loud_head[k], move |n| n.loud_next[k])
    }

    /// Appends node `c` to its parent `p`'s children.
    fn add_child(&mut self, p: u32, c: u32) {
        match self.nodes[p as usize].last_child {
            NIL => self.nodes[p as usize].first_child = c,
            last => self.nodes[last as usize].next_sibling = c,
        }
        self.nodes[c as usize].prev_sibling = self.nodes[p as usize].last_child;
        self.nodes[p as usize].last_child = c;
    }

    /// Puts child `c` into its parent `p`'s list of loud subtrees for kind `k`.
    fn loud_link(&mut self, p: u32, c: u32, k: usize) {
        let head = self.nodes[p as usize].loud_head[k];
        if head != NIL {
            self.nodes[head as usize].loud_prev[k] = c;
        }
        let child = &mut self.nodes[c as usize];
        (child.loud_next[k], child.loud_prev[k]) = (head, NIL);
        self.nodes[p as usize].loud_head[k] = c;
    }

    /// Takes child `c` out of its parent `p`'s list of loud subtrees for kind `k`.
    fn loud_unlink(&mut self, p: u32, c: u32, k: usize) {
        let (next, prev) = (self.nodes[c as usize].loud_next[k], self.nodes[c as usize].loud_prev[k]);
        match prev {
            NIL => self.nodes[p as usize].loud_head[k] = next,
            prev => self.nodes[prev as usize].loud_next[k] = next,
        }
        if next != NIL {
            self.nodes[next as usize].loud_prev[k] = prev;
        }
        let child = &mut self.nodes[c as usize];
        (child.loud_next[k], child.loud_prev[k]) = (NIL, NIL);
    }

    /// Whether an access of `kind` through `tag` over `[offset, offset+size)` changes
    /// nothing, as `access` decides before it looks at any node (the caller may then skip
    /// it, and what it takes to make one).
    #[inline]
    pub fn access_skips(&self, tag: u32, kind: AccessKind, offset: u64, size: u64) -> bool {
        // The root alone is `Unique` and accessed everywhere: nothing can change.
        size == 0 || self.nodes.len() == 1 || self.known_noop(tag, kind, offset, offset + size)
    }

    /// An access `a` through `tag` over `[offset, offset+size)`.
    pub fn access(&mut self, tag: u32, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let kind = a.kind;
        if self.access_skips(tag, kind, offset, size) {
            return Ok(());
        }
        let Some(n) = self.find(tag) else { return self.access_via_alias(tag, offset, size, a) };
        self.access_node(n, tag, offset, size, a)
    }

    /// `access` through node `n`, tag `tag`'s own (not an alias), once `access_skips` said
    /// no. (A reborrow's read through its parent comes here with the parent's node. One
    /// entry taking the node as an `Option`, `find` when `None`, cost 0.3-0.6% more
    /// instructions under Tree Borrows.)
    fn access_node(&mut self, n: u32, tag: u32, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let kind = a.kind;
        self.collect(n, kind, false, offset, size);
        self.perform(n, offset, size, a, Apply::Yes)?;
        if !self.wild_roots.is_empty() {
            // The other trees see a wildcard access, whose effect may differ when repeated.
            return self.cross_tree(n, false, offset, size, a);
        }
        // Transitions are idempotent: whether this access changed something or not,
        // repeating it changes nothing. They are also made byte by byte, so an access of the
        // same kind through the same tag that overlaps or touches the remembered one (a
        // struct's fields read one after the other) extends it: this access changed nothing
        // outside its own bytes, and on them the two accesses are the same.
        let (start, end) = match self.last_noop {
            Some((t, k, s, e)) if t == tag && k == kind && offset <= e && s <= offset + size => (s.min(offset), e.max(offset + size)),
            _ => (offset, offset + size),
        };
        self.last_noop = Some((tag, kind, start, end));
        Ok(())
    }

    /// Whether an access of `kind` through `tag` over `[start, end)` is known to change
    /// nothing: the remembered access (`last_noop`) covers it (a write covers reads too).
    #[inline]
    fn known_noop(&self, tag: u32, kind: AccessKind, start: u64, end: u64) -> bool {
        matches!(self.last_noop, Some((t, k, s, e)) if t == tag && (k == kind || k == AccessKind::Write) && s <= start && end <= e)
    }

    /// Scans the nodes in `visit` over the range, then refuses the access or (with
    /// `Apply::Yes`) applies it; returns whether any state changed (or would change).
    fn perform(&mut self, n: u32, offset: u64, size: u64, a: Access, apply: Apply) -> Result<bool, TbError> {
        let Access { kind, cause, protected, .. } = a;
        let mut refusal: Option<Refusal> = None;
        self.dirty.clear();
        for &(i, child) in &self.visit {
            let node = &self.nodes[i as usize];
            let prot = node.protector != 0 && protected(node.protector);
            let mut changes = false;
            node.states.for_each_in_inlined(offset, size, |run_start, st| {
                let at = run_start.max(offset);
                let found = match st.perm.after(child, kind, prot) {
                    None => Some(false),
                    // A protected tag may not lose read access to a byte it has used.
                    Some(TbPerm::Disabled) if prot && st.accessed && st.perm != TbPerm::Disabled => Some(true),
                    Some(p) => {
                        changes |= p != st.perm || (child && !st.accessed);
                        None
                    }
                };
                if let Some(protector) = found {
                    // The first byte wins; at one byte, the accessed tag, then its
                    // ancestors from the nearest, then foreign tags.
                    let rank = if child { depth_between(&self.nodes, n, i) } else { u32::MAX / 2 + i };
                    if refusal.as_ref().is_none_or(|r| (at, rank) < (r.offset, r.rank)) {
                        refusal = Some(Refusal { offset: at, rank, node: i, state: *st, protector, child });
                    }
                    return false;
                }
                true
            });
            if changes {
                self.dirty.push((i, child));
            }
        }
        if let Some(r) = refusal {
            return Err(self.refusal_error(n, r, kind, cause));
        }
        if self.dirty.is_empty() || apply == Apply::CheckOnly {
            return Ok(!self.dirty.is_empty());
        }
        self.last_noop = None;
        // Exposed tags that see a foreign access keep their state where an ancestor ignores
        // it (see `wildcard.rs`), decided on the states before this access.
        let shielded: Vec<(u32, Vec<(u64, u64)>)> = self
            .dirty
            .iter()
            .filter(|&&(i, child)| !child && self.nodes[i as usize].exposed)
            .map(|&(i, _)| (i, self.unshielded(n, i, kind, offset, size)))
            .collect();
        let dirty = std::mem::take(&mut self.dirty);
        // Neighbours in `dirty` often hold the same bytes and see the access the same way (a
        // chain of reborrows, each passed on to a callee): the second's update is the first's
        // again (`repeats`, decided on the states before any change).
        let mut repeats = std::mem::take(&mut self.repeats);
        repeats.clear();
        let mut last: Option<(u32, (bool, bool, bool))> = None;
        for &(i, child) in &dirty {
            let node = &self.nodes[i as usize];
            let prot = node.protector != 0 && protected(node.protector);
            // (How the access changes a byte, and which changes make the node loud.)
            let how = (child, prot, node.protector != 0);
            let shielded_node = !child && node.exposed;
            let repeat = !shielded_node
                && !self.no_repeats()
                && matches!(last, Some((p, h)) if h == how && self.nodes[p as usize].states.same_runs(&node.states));
            repeats.push((repeat, prot));
            last = (!shielded_node).then_some((i, how));
        }
        let mut events = std::mem::take(&mut self.events);
        for (j, &(i, child)) in dirty.iter().enumerate() {
            let (repeat, prot) = repeats[j];
            if repeat {
                self.repeat_update(dirty[j - 1].0, i, &events);
                continue;
            }
            events.clear();
            let change =
                |st: LocState| LocState { perm: st.perm.after(child, kind, prot).unwrap_or(st.perm), accessed: st.accessed || child };
            match shielded.iter().find(|s| s.0 == i) {
                Some((_, parts)) => {
                    for &(s, e) in parts {
                        self.record(i, s, e - s, (offset, offset + size), child, &a, change, Some(&mut events));
                    }
                    self.refresh_loud(i);
                }
                None => {
                    let (was, span) = (self.nodes[i as usize].loud, self.nodes[i as usize].loud_span);
                    self.record(i, offset, size, (offset, offset + size), child, &a, change, Some(&mut events));
                    if !loudness_kept(was, span, child, kind, offset, offset + size) {
                        self.refresh_loud(i);
                    }
                }
            }
        }
        self.dirty = dirty;
        self.repeats = repeats;
        self.events = events;
        Ok(true)
    }

    /// Whether `perform` updates every node on its own (tests compare it against repeats).
    #[cfg(test)]
    fn no_repeats(&self) -> bool {
        self.no_repeats
    }

    #[cfg(not(test))]
    #[inline(always)]
    fn no_repeats(&self) -> bool {
        false
    }

    /// Gives node `i` the update node `src` just had: `src`'s new byte states (they were
    /// equal before it), its `events` recorded for `i`, and its loudness (both have a
    /// protector or neither).
    fn repeat_update(&mut self, src: u32, i: u32, events: &[Event]) {
        let (s, d) = (src as usize, i as usize);
        let (from, to) = if s < d {
            let (lo, hi) = self.nodes.split_at_mut(d);
            (&lo[s], &mut hi[0])
        } else {
            let (lo, hi) = self.nodes.split_at_mut(s);
            (&hi[0], &mut lo[d])
        };
        to.states.copy_from(&from.states);
        let (loud, span) = (from.loud, from.loud_span);
        #[cfg(test)]
        {
            self.repeated += 1;
        }
        for &e in events {
            self.history.record(to.tag, &mut to.events, e);
        }
        if self.history.wants_compaction() {
            self.history.compact(&mut self.nodes);
        }
        self.set_loud(i, loud, span);
    }

    /// Changes node `i`'s bytes in `[start, start+len)` by `f`, recording each permission
    /// change as an event of the access `a` (`child` or foreign) over `range`, and
    /// appending it to `recorded` if given (for the updates that repeat this one).
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        i: u32,
        start: u64,
        len: u64,
        range: (u64, u64),
        child: bool,
        a: &Access,
        f: impl Fn(LocState) -> LocState,
        mut recorded: Option<&mut Vec<Event>>,
    ) {
        let Access { kind, cause, site, .. } = *a;
        let node = &mut self.nodes[i as usize];
        let (tag, events, history) = (node.tag, &mut node.events, &mut self.history);
        let _ = node.states.update_copy::<()>(start, len, |start, end, st| {
            let new = f(*st);
            let (from, to) = (st.perm, new.perm);
            if to != from {
                let e = Event { site, from, to, cause, access: kind, foreign: !child, start, end, range };
                if let Some(r) = recorded.as_deref_mut() {
                    r.push(e);
                }
                history.record(tag, events, e);
            }
            *st = new;
            Ok(())
        });
        if self.history.wants_compaction() {
            self.history.compact(&mut self.nodes);
        }
    }

    /// A new tag `new_tag` below `parent` (`None`: a wildcard pointer; the new tag roots a
    /// tree of its own): the pointee `[offset, offset+size)` is covered by `segments`
    /// (relative `(start, end, initial permission)`), everything else starts as `outside`.
    /// Bytes whose state implies a read are read through the parent first.
    #[allow(clippy::too_many_arguments)]
    pub fn reborrow(
        &mut self,
        parent: Option<u32>,
        new_tag: u32,
        offset: u64,
        segments: &[(u64, u64, TbPerm)],
        outside: TbPerm,
        protector: CallId,
        weak: bool,
        protected: &dyn Fn(CallId) -> bool,
        site: Site,
        spares: &mut SpareStates,
    ) -> Result<(), TbError> {
        let p = parent.map_or(NO_PARENT, |t| self.node_of(t));
        for &(s, e, perm) in segments {
            // A reborrow that starts `Unique` (implicit writes) writes through the parent;
            // others that start accessed read.
            let kind = if perm == TbPerm::Unique { AccessKind::Write } else { AccessKind::Read };
            if (perm == TbPerm::Unique || perm.implies_read()) && e > s {
                let a = Access { kind, cause: Cause::Reborrow, protected, site };
                match parent {
                    // (The parent's node is found already, unless the parent is an alias.)
                    Some(parent) if p != NO_PARENT && self.nodes[p as usize].tag == parent => {
                        if !self.access_skips(parent, kind, offset + s, e - s) {
                            self.access_node(p, parent, offset + s, e - s, a)?;
                        }
                    }
                    Some(parent) => self.access(parent, offset + s, e - s, a)?,
                    None => self.wildcard_access(offset + s, e - s, a)?,
                }
            }
        }
        let ranges = segments.iter().map(|&(s, e, perm)| (offset + s, offset + e, LocState { perm, accessed: perm.implies_read() }));
        let beyond = LocState { perm: outside, accessed: false };
        let states = spares.take(self.size, beyond, ranges);
        let initial = segments.first().map(|s| s.2).unwrap_or(outside);
        let idx = self.nodes.len() as u32;
        self.nodes.push(Node::new(new_tag, p, protector, weak, states, Some(site), initial));
        if p == NO_PARENT {
            self.wild_roots.push(idx);
        } else {
            self.add_child(p, idx);
        }
        debug_assert!(self.nodes[idx as usize - 1].tag < new_tag, "tags are handed out in increasing order");
        self.link_new_loud(idx);
        // The parent's access of a pointee of one segment, just made, repeated through the new
        // tag changes nothing: a child access of the new node (accessed on those bytes, in a
        // state a child access of that kind keeps) and of the path the parent's access took,
        // and a foreign access of the same other nodes, all of which that access left as it
        // would leave them again. So the new tag starts remembered, as after its first access.
        self.last_noop = match *segments {
            [(s, e, perm)] if parent.is_some() && self.wild_roots.is_empty() && e > s && perm.implies_read() => {
                let kind = if perm == TbPerm::Unique { AccessKind::Write } else { AccessKind::Read };
                Some((new_tag, kind, offset + s, offset + e))
            }
            _ => None,
        };
        Ok(())
    }

    /// The end of `tag`'s protector: on every byte the tag accessed, an access through it
    /// (a write where it is `Unique`, a read elsewhere, none on `Cell` bytes) that affects
    /// every node but the tag's own subtree.
    pub fn release_protector(&mut self, tag: u32, protected: &dyn Fn(CallId) -> bool, site: Site) -> Result<(), TbError> {
        let Some(n) = self.find(tag) else { return Ok(()) };
        // The release skips the node's own subtree, so its states stay as they are while
        // its ranges are taken one after the other.
        let mut from = 0;
        while let Some((start, end, kind)) = self.release_range(n, from) {
            from = end;
            // The same access through the tag itself would change nothing, and this one
            // visits fewer nodes, in the same way: nothing to do.
            if self.known_noop(tag, kind, start, end) {
                continue;
            }
            let a = Access { kind, cause: Cause::ProtectorRelease, protected, site };
            self.collect(n, kind, true, start, end - start);
            self.perform(n, start, end - start, a, Apply::Yes)?;
            if !self.wild_roots.is_empty() {
                self.cross_tree(n, true, start, end - start, a)?;
            }
        }
        // The protector is over: the node is judged like any other from now on. A
        // remembered access stays so (`perform` forgot it if the release changed anything):
        // every state a foreign access leaves unchanged under a protector, it leaves
        // unchanged without one, and child accesses depend on protectors only for refusals.
        self.nodes[n as usize].protector = 0;
        self.refresh_loud(n);
        Ok(())
    }

    /// The first range at or after `from` of node `n`'s bytes a protector's end accesses,
    /// and how: a write where the node is `Unique`, a read where it accessed anything but
    /// a `Cell`, neighbours of the same kind merged.
    fn release_range(&self, n: u32, from: u64) -> Option<(u64, u64, AccessKind)> {
        let mut found: Option<(u64, u64, AccessKind)> = None;
        let states = &self.nodes[n as usize].states;
        states.for_each_in_with_end(from, self.size.max(1).saturating_sub(from), |start, end, st| {
            let kind = match st.perm {
                _ if !st.accessed || st.perm == TbPerm::Cell => return found.is_none(),
                TbPerm::Unique => AccessKind::Write,
                _ => AccessKind::Read,
            };
            match &mut found {
                None => found = Some((start.max(from), end, kind)),
                Some(last) if last.1 == start && last.2 == kind => last.1 = end,
                Some(_) => return false,
            }
            true
        });
        found
    }

    /// Deallocation through `tag` (`None`: a wildcard): a write to every byte, and no tag
    /// may be strongly protected.
    pub fn dealloc(&mut self, tag: Option<u32>, protected: &dyn Fn(CallId) -> bool, site: Site) -> Result<(), TbError> {
        if self.size > 0 {
            match tag {
                Some(tag) => {
                    if self.find(tag).is_none()
                        && let Some(alias) = self.alias_of(tag).copied()
                    {
                        return self.through(alias, |t| t.dealloc(Some(alias.target), protected, site));
                    }
                    let n = self.node_of(tag);
                    let a = Access { kind: AccessKind::Write, cause: Cause::Dealloc, protected, site };
                    self.collect(n, AccessKind::Write, false, 0, self.size);
                    if self.wild_roots.is_empty() {
                        // The tree goes away with the allocation: only a refusal matters, and
                        // the write's one lasting effect on the check below, marking the
                        // accessed tag and its ancestors accessed, is taken into account there.
                        self.perform(n, 0, self.size, a, Apply::CheckOnly)?;
                        return self.dealloc_protectors(Some(tag), protected, Some(n));
                    }
                    self.perform(n, 0, self.size, a, Apply::Yes)?;
                    self.cross_tree(n, false, 0, self.size, a)?;
                }
                None => self.wildcard_access(0, self.size, Access { kind: AccessKind::Write, cause: Cause::Dealloc, protected, site })?,
            }
        }
        self.dealloc_protectors(tag, protected, None)
    }

    /// The protector check of a deallocation through `tag` (`None`: a wildcard), after its
    /// write, or with the write only scanned (`unapplied`: the node written through; it and
    /// its ancestors count as accessed everywhere, as the write would have made them).
    fn dealloc_protectors(&self, tag: Option<u32>, protected: &dyn Fn(CallId) -> bool, unapplied: Option<u32>) -> Result<(), TbError> {
        let on_path = |i: usize| {
            let Some(mut cur) = unapplied else { return false };
            while cur != NO_PARENT {
                if cur as usize == i {
                    return true;
                }
                cur = self.nodes[cur as usize].parent;
            }
            false
        };
        // A strong protector forbids deallocation where it guards a byte: one its tag
        // accessed, not in an `UnsafeCell` (so a protected zero-sized reference does not).
        let guards = |i: usize, n: &Node| {
            let child = on_path(i);
            n.states.runs().any(|(_, _, st)| (st.accessed || child) && st.perm != TbPerm::Cell)
        };
        let strong = self.nodes.iter().enumerate().find(|&(i, n)| n.protector != 0 && !n.weak && protected(n.protector) && guards(i, n));
        if let Some((_, node)) = strong {
            // (Only for the report: a deallocation is common, its refusal rare.)
            // (The accessed tag: the alias it was made through, else its node.)
            let accessed = match self.via_alias {
                Some(alias) => Some((alias.tag, Some(alias.created))),
                None => tag.map(|t| (t, self.find(t).and_then(|a| self.nodes[a as usize].created))),
            };
            let tag = accessed.map_or("wildcard".to_string(), |(t, _)| t.to_string());
            let mut history = Vec::new();
            if let Some((a, Some(site))) = accessed
                && a != node.tag
            {
                history.push((format!("the accessed tag <{a}> was created here"), Some(site)));
            }
            if let Some(site) = node.created {
                let initial = node.initial.name();
                history.push((
                    format!("the strongly protected tag <{}> was created here, in the initial state {initial}", node.tag),
                    Some(site),
                ));
            }
            return Err(TbError {
                title: "deallocation".into(),
                offset: 0,
                through: Through::Accessed,
                details: vec![
                    format!("the allocation of the accessed tag <{tag}> also contains the strongly protected tag <{}>", node.tag),
                    format!("the strongly protected tag <{}> disallows deallocations", node.tag),
                ],
                history,
            });
        }
        Ok(())
    }
}

/// Whether an access is applied or only checked (a deallocation's write: the tree goes away).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Apply {
    Yes,
    CheckOnly,
}

/// Whether a node's loudness (`was`, over the bytes `span`) is still what `compute_loud`
/// says after an access (`child` or foreign, of `kind`) changed its bytes `[start, end)`
/// alone, so that neither it nor the loud lists need recomputing over all its runs:
/// - a child read changes no permission (only whether a byte was accessed);
/// - a foreign access only takes permissions away, so no byte turns loud for a kind it
///   was quiet for (`TbPerm::loud_bits` of `after`), and a kind the node was loud for
///   stays so, over the same span, when the change lies strictly inside that span (its
///   first and last loud runs keep their bounds);
/// - a child write makes its bytes `Unique`, loud for both kinds: the same, for a node
///   loud for both with the change strictly inside both spans.
#[inline]
fn loudness_kept(was: [bool; 2], span: [(u64, u64); 2], child: bool, kind: AccessKind, start: u64, end: u64) -> bool {
    let inside = |k: usize| span[k].0 < start && end < span[k].1;
    match (child, kind) {
        (true, AccessKind::Read) => true,
        (true, AccessKind::Write) => (0..2).all(|k| was[k] && inside(k)),
        (false, _) => (0..2).all(|k| !was[k] || inside(k)),
    }
}

/// How many parent steps lead from `from` up to its ancestor `to`.
fn depth_between(nodes: &[Node], from: u32, to: u32) -> u32 {
    let mut d = 0;
    let mut cur = from;
    while cur != to && cur != NO_PARENT {
        cur = nodes[cur as usize].parent;
        d += 1;
    }
    d
}
