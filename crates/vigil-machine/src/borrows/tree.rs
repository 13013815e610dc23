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

use vigil_ir::{FnId, SpanId};

use super::range_map::RangeMap;
use super::stacked::{AccessKind, CallId};

/// A program point (function and span), for the history shown in reports.
pub type Site = (FnId, SpanId);

/// A tag's permission at one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TbPerm {
    /// Inside an `UnsafeCell` behind a shared reference: every access is allowed.
    Cell,
    /// A `&mut` not written yet; `conflicted` once a foreign read happened while protected.
    Reserved { conflicted: bool },
    /// A `&mut` to interior-mutable bytes, not written yet: tolerates foreign writes.
    ReservedIm,
    /// Written through: unique.
    Unique,
    /// Read-only.
    Frozen,
    /// No access allowed.
    Disabled,
}

impl TbPerm {
    pub fn name(self) -> &'static str {
        match self {
            TbPerm::Cell => "Cell",
            TbPerm::Reserved { conflicted: false } => "Reserved",
            TbPerm::Reserved { conflicted: true } => "Reserved (conflicted)",
            TbPerm::ReservedIm => "Reserved (interior mutable)",
            TbPerm::Unique => "Unique",
            TbPerm::Frozen => "Frozen",
            TbPerm::Disabled => "Disabled",
        }
    }

    /// The access a new tag's bytes in this state imply through the parent at the retag.
    fn implies_read(self) -> bool {
        self != TbPerm::Cell
    }

    /// The state after an access, or `None` when the access is forbidden (child accesses).
    fn after(self, child: bool, access: AccessKind, protected: bool) -> Option<TbPerm> {
        use AccessKind::*;
        use TbPerm::*;
        Some(match (self, child, access) {
            (Cell, ..) => Cell,
            (Disabled, true, _) | (Frozen, true, Write) => return None,
            (Reserved { conflicted: true }, true, Write) if protected => return None,
            (Reserved { .. } | ReservedIm | Unique, true, Write) => Unique,
            (p, true, Read) => p,
            (Reserved { .. }, false, Read) if protected => Reserved { conflicted: true },
            (Unique, false, Read) if protected => Disabled,
            (Unique, false, Read) => Frozen,
            (p, false, Read) => p,
            (ReservedIm, false, Write) => ReservedIm,
            (_, false, Write) => Disabled,
        })
    }
}

/// One byte's state for one tag: the permission and whether the tag (or a descendant)
/// has accessed the byte. Protectors only guard accessed bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LocState {
    perm: TbPerm,
    accessed: bool,
}

/// Why a tree changes: the title of a refusal and the wording of the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Access,
    Reborrow,
    Dealloc,
    ProtectorRelease,
}

/// A node's permission change, kept for the report that may later need it.
#[derive(Clone, Debug)]
struct Event {
    site: Site,
    from: TbPerm,
    to: TbPerm,
    cause: Cause,
    access: AccessKind,
    foreign: bool,
    /// The bytes whose state changed.
    start: u64,
    end: u64,
    /// The bytes the access covered (what the report shows).
    range: (u64, u64),
}

/// A node keeps its most recent events only.
const MAX_EVENTS: usize = 32;

const NO_PARENT: u32 = u32::MAX;

struct Node {
    tag: u32,
    parent: u32,
    /// The call whose protector guards this tag (0: none).
    protector: CallId,
    /// A weak protector (`Box` arguments) does not forbid deallocation.
    weak: bool,
    states: RangeMap<LocState>,
    created: Option<Site>,
    initial: TbPerm,
    events: Vec<Event>,
    children: Vec<u32>,
    /// Whether some byte of this node would change on a foreign read / write.
    loud: [bool; 2],
    /// How many nodes of the subtree (this one included) are loud, per access kind.
    loud_below: [u32; 2],
    /// A pointer with this tag was cast to an integer: pointers made from the address
    /// (wildcards) may act as this tag.
    exposed: bool,
    /// How many nodes of the subtree (this one included) are exposed.
    exposed_below: u32,
}

/// Index of an access kind in `loud` / `loud_below`.
fn k(kind: AccessKind) -> usize {
    match kind {
        AccessKind::Read => 0,
        AccessKind::Write => 1,
    }
}

impl Node {
    /// Which foreign accesses could change this node: a read changes `Unique` bytes and a
    /// protected `Reserved`; a write changes everything but `Disabled`, `Cell` and an
    /// unprotected `Reserved (interior mutable)`.
    /// Only the kinds in `wanted` are looked for (the others come back false); the scan
    /// stops once all of them are found.
    fn compute_loud(&self, wanted: [bool; 2]) -> [bool; 2] {
        let protected = self.protector != 0;
        let mut loud = [false, false];
        for (_, _, st) in self.states.runs() {
            loud[0] |= wanted[0] && (st.perm == TbPerm::Unique || (protected && st.perm == TbPerm::Reserved { conflicted: false }));
            loud[1] |= wanted[1] && !matches!(st.perm, TbPerm::Disabled | TbPerm::Cell) && !(st.perm == TbPerm::ReservedIm && !protected);
            if loud == wanted {
                break;
            }
        }
        loud
    }
}

/// Why an access is refused, ready to become a report.
pub struct TbError {
    /// The operation refused ("write access", "reborrow", ...) and the byte it was refused at.
    pub title: String,
    pub offset: u64,
    pub details: Vec<String>,
    /// Lines explaining the verdict, with the program point they refer to when they have one.
    pub history: Vec<(String, Option<Site>)>,
}

/// The tag tree of one allocation.
pub struct TbAlloc {
    /// In creation order, so parents come before their children and tags increase (a tag
    /// is found by binary search).
    nodes: Vec<Node>,
    size: u64,
    /// Scratch: the nodes the current access visits, and whether it is a child access for them.
    visit: Vec<(u32, bool)>,
    /// Scratch: the visited nodes whose state the current access changes.
    dirty: Vec<(u32, bool)>,
    /// Scratch: subtrees still to look at.
    pending: Vec<u32>,
    /// The last access (tag, kind, start, end), valid until anything else changes the
    /// tree: repeating it (or a read inside a write) changes nothing, since every
    /// transition is idempotent.
    last_noop: Option<(u32, AccessKind, u64, u64)>,
}

/// The refusal found by the scan, before it becomes a `TbError`.
struct Refusal {
    offset: u64,
    rank: u32,
    node: u32,
    state: LocState,
    protector: bool,
    child: bool,
}

impl TbAlloc {
    pub fn new(size: u64) -> TbAlloc {
        let root = Node {
            tag: 0,
            parent: NO_PARENT,
            protector: 0,
            weak: false,
            states: RangeMap::new(size, LocState { perm: TbPerm::Unique, accessed: true }),
            created: None,
            initial: TbPerm::Unique,
            events: Vec::new(),
            children: Vec::new(),
            // The root never sees a foreign access.
            loud: [false, false],
            loud_below: [0, 0],
            exposed: false,
            exposed_below: 0,
        };
        TbAlloc { nodes: vec![root], size, visit: Vec::new(), dirty: Vec::new(), pending: Vec::new(), last_noop: None }
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn find(&self, tag: u32) -> Option<u32> {
        self.nodes.binary_search_by_key(&tag, |n| n.tag).ok().map(|i| i as u32)
    }

    fn node_of(&self, tag: u32) -> u32 {
        // Every pointer's tag is in its allocation's tree (raw pointers keep their parent's
        // tag); the root stands in should that ever not hold.
        self.find(tag).unwrap_or(0)
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
        let mut settled = !skip_own && self.settled(n, kind, offset, size);
        if settled && self.nodes[0].loud_below[k] == 0 {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        if !skip_own {
            if !settled {
                self.visit.push((n, true));
            }
            pending.extend(&self.nodes[n as usize].children);
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
            // Only look at the children when some node below is loud.
            if node.loud_below[k] > node.loud[k] as u32 + (self.nodes[prev as usize].loud_below[k]) {
                pending.extend(node.children.iter().filter(|&&c| c != prev));
            }
            prev = cur;
            cur = node.parent;
        }
        while let Some(c) = pending.pop() {
            let node = &self.nodes[c as usize];
            if node.loud_below[k] == 0 {
                continue;
            }
            if node.loud[k] {
                self.visit.push((c, false));
            }
            if node.loud_below[k] > node.loud[k] as u32 {
                pending.extend(&node.children);
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
    /// `may_rise`: the change could have made the node louder (a child access can make a
    /// byte `Unique`); foreign accesses only ever quiet a node, so then only the kinds it is
    /// loud for are looked at again.
    fn refresh_loud(&mut self, i: u32, may_rise: bool) {
        if i == 0 {
            return;
        }
        let old = self.nodes[i as usize].loud;
        let new = self.nodes[i as usize].compute_loud(if may_rise { [true, true] } else { old });
        if new == old {
            return;
        }
        self.nodes[i as usize].loud = new;
        for k in 0..2 {
            if new[k] != old[k] {
                let mut cur = i;
                while cur != NO_PARENT {
                    let node = &mut self.nodes[cur as usize];
                    if new[k] {
                        node.loud_below[k] += 1;
                    } else {
                        node.loud_below[k] -= 1;
                    }
                    cur = node.parent;
                }
            }
        }
    }

    /// An access of `kind` through `tag` over `[offset, offset+size)`.
    #[allow(clippy::too_many_arguments)]
    pub fn access(
        &mut self,
        tag: u32,
        offset: u64,
        size: u64,
        kind: AccessKind,
        cause: Cause,
        protected: &dyn Fn(CallId) -> bool,
        site: Site,
    ) -> Result<(), TbError> {
        // The root alone is `Unique` and accessed everywhere: nothing can change.
        if size == 0 || self.nodes.len() == 1 {
            return Ok(());
        }
        if let Some((t, k, s, e)) = self.last_noop {
            if t == tag && (k == kind || k == AccessKind::Write) && s <= offset && offset + size <= e {
                return Ok(());
            }
        }
        let n = self.node_of(tag);
        self.collect(n, kind, false, offset, size);
        self.perform(n, offset, size, kind, cause, protected, site)?;
        // Transitions are idempotent: whether this access changed something or not,
        // repeating it changes nothing.
        self.last_noop = Some((tag, kind, offset, offset + size));
        Ok(())
    }

    /// Scans the nodes in `visit` over the range, then refuses the access or applies it;
    /// returns whether any state changed.
    #[allow(clippy::too_many_arguments)]
    fn perform(
        &mut self,
        n: u32,
        offset: u64,
        size: u64,
        kind: AccessKind,
        cause: Cause,
        protected: &dyn Fn(CallId) -> bool,
        site: Site,
    ) -> Result<bool, TbError> {
        let mut refusal: Option<Refusal> = None;
        self.dirty.clear();
        for &(i, child) in &self.visit {
            let node = &self.nodes[i as usize];
            let prot = node.protector != 0 && protected(node.protector);
            let mut changes = false;
            node.states.for_each_in(offset, size, |run_start, st| {
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
        if self.dirty.is_empty() {
            return Ok(false);
        }
        self.last_noop = None;
        let dirty = std::mem::take(&mut self.dirty);
        for &(i, child) in &dirty {
            let node = &mut self.nodes[i as usize];
            let prot = node.protector != 0 && protected(node.protector);
            let events = &mut node.events;
            let _ = node.states.update::<()>(offset, size, |start, end, st| {
                let to = st.perm.after(child, kind, prot).unwrap_or(st.perm);
                if to != st.perm {
                    match events.last_mut() {
                        Some(e) if e.site == site && e.from == st.perm && e.to == to && e.end == start && e.cause == cause => e.end = end,
                        _ => {
                            if events.len() == MAX_EVENTS {
                                events.remove(0);
                            }
                            let range = (offset, offset + size);
                            events.push(Event { site, from: st.perm, to, cause, access: kind, foreign: !child, start, end, range });
                        }
                    }
                }
                *st = LocState { perm: to, accessed: st.accessed || child };
                Ok(())
            });
            self.refresh_loud(i, child);
        }
        self.dirty = dirty;
        Ok(true)
    }

    /// A new tag `new_tag` below `parent`: the pointee `[offset, offset+size)` is covered by
    /// `segments` (relative `(start, end, initial permission)`), everything else starts as
    /// `outside`. Bytes whose state implies a read are read through the parent first.
    #[allow(clippy::too_many_arguments)]
    pub fn reborrow(
        &mut self,
        parent: u32,
        new_tag: u32,
        offset: u64,
        segments: &[(u64, u64, TbPerm)],
        outside: TbPerm,
        protector: CallId,
        weak: bool,
        protected: &dyn Fn(CallId) -> bool,
        site: Site,
    ) -> Result<(), TbError> {
        let p = self.node_of(parent);
        for &(s, e, perm) in segments {
            if perm.implies_read() && e > s {
                self.access(parent, offset + s, e - s, AccessKind::Read, Cause::Reborrow, protected, site)?;
            }
        }
        let mut states = RangeMap::new(self.size, LocState { perm: outside, accessed: false });
        for &(s, e, perm) in segments {
            if e > s {
                let _ = states.for_each_mut::<()>(offset + s, e - s, |_, st| {
                    *st = LocState { perm, accessed: perm.implies_read() };
                    Ok(())
                });
            }
        }
        let initial = segments.first().map(|s| s.2).unwrap_or(outside);
        let idx = self.nodes.len() as u32;
        self.nodes.push(Node {
            tag: new_tag,
            parent: p,
            protector,
            weak,
            states,
            created: Some(site),
            initial,
            events: Vec::new(),
            children: Vec::new(),
            loud: [false, false],
            loud_below: [0, 0],
            exposed: false,
            exposed_below: 0,
        });
        self.nodes[p as usize].children.push(idx);
        debug_assert!(self.nodes[idx as usize - 1].tag < new_tag, "tags are handed out in increasing order");
        self.refresh_loud(idx, true);
        self.last_noop = None;
        Ok(())
    }

    /// The end of `tag`'s protector: on every byte the tag accessed, an access through it
    /// (a write where it is `Unique`, a read elsewhere, none on `Cell` bytes) that affects
    /// every node but the tag's own subtree.
    pub fn release_protector(&mut self, tag: u32, protected: &dyn Fn(CallId) -> bool, site: Site) -> Result<(), TbError> {
        let Some(n) = self.find(tag) else { return Ok(()) };
        let mut ranges: Vec<(u64, u64, AccessKind)> = Vec::new();
        self.nodes[n as usize].states.for_each_with_end(|start, end, st| {
            let kind = match st.perm {
                _ if !st.accessed => return,
                TbPerm::Cell => return,
                TbPerm::Unique => AccessKind::Write,
                _ => AccessKind::Read,
            };
            match ranges.last_mut() {
                Some(last) if last.1 == start && last.2 == kind => last.1 = end,
                _ => ranges.push((start, end, kind)),
            }
        });
        for (start, end, kind) in ranges {
            self.collect(n, kind, true, start, end - start);
            self.perform(n, start, end - start, kind, Cause::ProtectorRelease, protected, site)?;
        }
        // The protector is over: the node is judged like any other from now on.
        self.nodes[n as usize].protector = 0;
        self.refresh_loud(n, true);
        self.last_noop = None;
        Ok(())
    }

    /// Marks `tag` exposed: wildcard pointers may act as it from now on.
    pub fn expose(&mut self, tag: u32) {
        let Some(n) = self.find(tag) else { return };
        if self.nodes[n as usize].exposed {
            return;
        }
        self.nodes[n as usize].exposed = true;
        let mut cur = n;
        while cur != NO_PARENT {
            self.nodes[cur as usize].exposed_below += 1;
            cur = self.nodes[cur as usize].parent;
        }
    }

    /// An access through a wildcard pointer (made from an exposed address). It is allowed
    /// when some exposed tag could make it on every byte; nodes with no exposed tag in their
    /// subtree certainly see a foreign access; the others (which might be the accessing
    /// tag or its ancestors) are left as they are, which never refuses more than the
    /// precise answer would.
    #[allow(clippy::too_many_arguments)]
    pub fn wildcard_access(
        &mut self,
        offset: u64,
        size: u64,
        kind: AccessKind,
        cause: Cause,
        protected: &dyn Fn(CallId) -> bool,
        site: Site,
    ) -> Result<(), TbError> {
        if size == 0 {
            return Ok(());
        }
        let exposed: Vec<u32> = (0..self.nodes.len() as u32).filter(|&i| self.nodes[i as usize].exposed).collect();
        let allowed = |t: &Self, start: u64, len: u64| exposed.iter().any(|&e| t.child_access_allowed(e, start, len, kind, protected));
        let ok = allowed(self, offset, size) || (size <= 64 && (offset..offset + size).all(|b| allowed(self, b, 1)));
        if !ok {
            return Err(TbError {
                title: match cause {
                    Cause::Dealloc => "deallocation".into(),
                    _ => format!("{} access", kind.name()),
                },
                offset,
                details: vec!["there are no exposed tags which may perform this access here".into()],
                history: Vec::new(),
            });
        }
        let k = k(kind);
        self.visit.clear();
        let mut pending = vec![0u32];
        while let Some(c) = pending.pop() {
            let node = &self.nodes[c as usize];
            if node.exposed_below > 0 {
                pending.extend(&node.children);
            } else if node.loud_below[k] > 0 {
                if node.loud[k] {
                    self.visit.push((c, false));
                }
                pending.extend(&node.children);
            }
        }
        self.perform(NO_PARENT, offset, size, kind, cause, protected, site)?;
        Ok(())
    }

    /// Whether a child access through node `n` would be allowed on the range (by `n` and
    /// every ancestor).
    fn child_access_allowed(&self, n: u32, offset: u64, size: u64, kind: AccessKind, protected: &dyn Fn(CallId) -> bool) -> bool {
        let mut cur = n;
        while cur != NO_PARENT {
            let node = &self.nodes[cur as usize];
            let prot = node.protector != 0 && protected(node.protector);
            let mut ok = true;
            node.states.for_each_in(offset, size, |_, st| {
                ok = st.perm.after(true, kind, prot).is_some();
                ok
            });
            if !ok {
                return false;
            }
            cur = node.parent;
        }
        true
    }

    /// Deallocation through `tag` (`None`: a wildcard): a write to every byte, and no tag
    /// may be strongly protected.
    pub fn dealloc(&mut self, tag: Option<u32>, protected: &dyn Fn(CallId) -> bool, site: Site) -> Result<(), TbError> {
        if self.size > 0 {
            match tag {
                Some(tag) => {
                    let n = self.node_of(tag);
                    self.collect(n, AccessKind::Write, false, 0, self.size);
                    self.perform(n, 0, self.size, AccessKind::Write, Cause::Dealloc, protected, site)?;
                }
                None => self.wildcard_access(0, self.size, AccessKind::Write, Cause::Dealloc, protected, site)?,
            }
        }
        let tag = tag.map_or("wildcard".to_string(), |t| t.to_string());
        if let Some(node) = self.nodes.iter().find(|n| n.protector != 0 && !n.weak && protected(n.protector)) {
            return Err(TbError {
                title: "deallocation".into(),
                offset: 0,
                details: vec![
                    format!("the allocation of the accessed tag <{tag}> also contains the strongly protected tag <{}>", node.tag),
                    format!("the strongly protected tag <{}> disallows deallocations", node.tag),
                ],
                history: Vec::new(),
            });
        }
        Ok(())
    }

    /// Removes the tags no pointer holds any more (`live` says which are held) and no
    /// protector guards: leaves, and inner nodes whose children are at least as restricted
    /// as they are on every byte (so no access could be refused by the inner node that its
    /// children would allow, now or later); their children move up to the grandparent.
    /// Reslicing loops (`v = &v[1..]`) make long chains of such shared references.
    /// The root always stays.
    pub fn retain_live(&mut self, live: &dyn Fn(u32) -> bool, protected: &dyn Fn(CallId) -> bool) {
        let len = self.nodes.len();
        if len == 1 {
            return;
        }
        // Exposed tags stay usable through wildcard pointers.
        let dead = |node: &Node| !live(node.tag) && !node.exposed && !(node.protector != 0 && protected(node.protector));
        // Leaves first: children come after their parents, so walking backwards sees a
        // node's whole subtree before the node itself.
        let mut keep = vec![false; len];
        keep[0] = true;
        for i in (1..len).rev() {
            let node = &self.nodes[i];
            if keep[i] || !dead(node) {
                keep[i] = true;
                keep[node.parent as usize] = true;
            }
        }
        // Then dead inner nodes that their remaining children make redundant.
        for i in 1..len {
            let node = &self.nodes[i];
            if keep[i]
                && dead(node)
                && node.children.iter().all(|&c| !keep[c as usize] || restricts(&node.states, &self.nodes[c as usize].states))
            {
                keep[i] = false;
            }
        }
        if keep.iter().all(|&k| k) {
            return;
        }
        // The new parent of a kept node: its nearest kept ancestor.
        let mut new_index = vec![NO_PARENT; len];
        let mut next = 0u32;
        for (i, &k) in keep.iter().enumerate() {
            if k {
                new_index[i] = next;
                next += 1;
            }
        }
        let mut kept_ancestor = vec![NO_PARENT; len];
        for i in 1..len {
            let p = self.nodes[i].parent as usize;
            kept_ancestor[i] = if keep[p] { p as u32 } else { kept_ancestor[p] };
        }
        let mut i = 0;
        let parents: Vec<u32> = kept_ancestor.iter().map(|&a| if a == NO_PARENT { NO_PARENT } else { new_index[a as usize] }).collect();
        let mut old_index = Vec::with_capacity(next as usize);
        self.nodes.retain(|_| {
            i += 1;
            if keep[i - 1] {
                old_index.push(i - 1);
            }
            keep[i - 1]
        });
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.parent = parents[old_index[i]];
            node.children.clear();
            node.loud_below = [node.loud[0] as u32, node.loud[1] as u32];
            node.exposed_below = node.exposed as u32;
        }
        // Children lists and subtree counts, bottom-up (children come after parents).
        for i in (1..self.nodes.len()).rev() {
            let (p, below, exposed) = (self.nodes[i].parent as usize, self.nodes[i].loud_below, self.nodes[i].exposed_below);
            self.nodes[p].children.push(i as u32);
            self.nodes[p].loud_below[0] += below[0];
            self.nodes[p].loud_below[1] += below[1];
            self.nodes[p].exposed_below += exposed;
        }
        for node in &mut self.nodes {
            node.children.reverse();
        }
        self.last_noop = None;
    }

    /// The report for a refused access through the tag of node `n`.
    /// `n` is `NO_PARENT` for a wildcard access.
    fn refusal_error(&self, n: u32, r: Refusal, kind: AccessKind, cause: Cause) -> TbError {
        let accessed = self.nodes.get(n as usize);
        let accessed_name = accessed.map_or("<wildcard>".to_string(), |a| format!("<{}>", a.tag));
        let culprit = &self.nodes[r.node as usize];
        let what = describe(cause, kind, !r.child);
        let mut details = Vec::new();
        let mut history = Vec::new();
        let role;
        if r.protector {
            role = "protected";
            details.push(format!("the accessed tag {accessed_name} is foreign to the protected tag <{}> (i.e., it is not a child)", culprit.tag));
            details.push(format!(
                "this {what} would cause the protected tag <{}> (currently {}) to become Disabled",
                culprit.tag,
                r.state.perm.name()
            ));
            details.push("protected tags must never be Disabled".into());
        } else {
            role = if r.node == n { "accessed" } else { "conflicting" };
            if r.node != n {
                details.push(format!("the accessed tag {accessed_name} is a child of the conflicting tag <{}>", culprit.tag));
            }
            details.push(format!("the {role} tag <{}> has state {} which forbids this {what}", culprit.tag, r.state.perm.name()));
        }
        if r.node != n {
            if let Some((a, site)) = accessed.and_then(|a| Some((a, a.created?))) {
                history.push((format!("the accessed tag <{}> was created here", a.tag), Some(site)));
            }
        }
        if let Some(site) = culprit.created {
            history.push((format!("the {role} tag <{}> was created here, in the initial state {}", culprit.tag, culprit.initial.name()), Some(site)));
        }
        for e in &culprit.events {
            if e.start > r.offset || r.offset >= e.end || !relevant(e, r.state.perm, r.protector) {
                continue;
            }
            let whole = if e.cause == Cause::ProtectorRelease { " on every location previously accessed by this tag".to_string() } else { format!(" at offsets [{:#x}..{:#x}]", e.range.0, e.range.1) };
            history.push((
                format!("the {role} tag <{}> later transitioned to {} due to a {}{whole}", culprit.tag, e.to.name(), describe(e.cause, e.access, e.foreign)),
                Some(e.site),
            ));
            history.push((format!("this transition corresponds to {}", summary(e.from, e.to)), None));
        }
        let title = match cause {
            Cause::Access => format!("{} access", kind.name()),
            Cause::Reborrow => "reborrow".into(),
            Cause::Dealloc => "deallocation".into(),
            Cause::ProtectorRelease => "protector release".into(),
        };
        TbError { title, offset: r.offset, details, history }
    }
}

/// Whether `child` is at least as restricted as `parent` on every byte, in a way every
/// later access keeps: anything below a `Cell`, `Frozen` or `Disabled` below `Frozen`,
/// `Disabled` below `Disabled`.
fn restricts(parent: &RangeMap<LocState>, child: &RangeMap<LocState>) -> bool {
    let (mut p, mut c) = (parent.runs().peekable(), child.runs().peekable());
    while let (Some(&(_, pe, ps)), Some(&(_, ce, cs))) = (p.peek(), c.peek()) {
        let ok = match ps.perm {
            TbPerm::Cell => true,
            TbPerm::Frozen => matches!(cs.perm, TbPerm::Frozen | TbPerm::Disabled),
            TbPerm::Disabled => cs.perm == TbPerm::Disabled,
            _ => false,
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

/// An access as one node sees it, e.g. "foreign write access" or "reborrow (acting as a
/// child read access)".
fn describe(cause: Cause, kind: AccessKind, foreign: bool) -> String {
    let rel = if foreign { "foreign" } else { "child" };
    match cause {
        Cause::Access => format!("{rel} {} access", kind.name()),
        Cause::Reborrow => format!("reborrow (acting as a {rel} read access)"),
        Cause::Dealloc => format!("deallocation (acting as a {rel} write access)"),
        Cause::ProtectorRelease => format!("protector release (acting as a {rel} {} access)", kind.name()),
    }
}

/// What a permission change means, in the report's words.
fn summary(from: TbPerm, to: TbPerm) -> &'static str {
    match (from, to) {
        (_, TbPerm::Unique) => "the first write to a 2-phase borrowed mutable reference",
        (_, TbPerm::Frozen) => "a loss of write permissions",
        (_, TbPerm::Reserved { conflicted: true }) => "a temporary loss of write permissions until function exit",
        (TbPerm::Frozen, TbPerm::Disabled) => "a loss of read permissions",
        _ => "a loss of read and write permissions",
    }
}

/// Whether a past change explains a refusal in state `now`: where the permission that
/// refused was reached (for a protector refusal: where the state it would leave began).
fn relevant(e: &Event, now: TbPerm, protector: bool) -> bool {
    if protector {
        return e.to == now;
    }
    matches!(
        (e.to, now),
        (TbPerm::Frozen, TbPerm::Frozen)
            | (TbPerm::Unique, TbPerm::Frozen)
            | (TbPerm::Disabled, TbPerm::Disabled)
            | (TbPerm::Reserved { conflicted: true }, TbPerm::Reserved { conflicted: true })
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: CallId) -> bool {
        false
    }
    const SITE: Site = (FnId(0), SpanId(0));
    const RES: TbPerm = TbPerm::Reserved { conflicted: false };

    fn access(t: &mut TbAlloc, tag: u32, off: u64, size: u64, kind: AccessKind) -> Result<(), TbError> {
        t.access(tag, off, size, kind, Cause::Access, &none, SITE)
    }

    #[test]
    fn frozen_children_forbid_writes_and_parent_writes_disable_them() {
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, &[(0, 4, TbPerm::Frozen)], TbPerm::Frozen, 0, false, &none, SITE).ok().unwrap();
        assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_ok());
        assert!(access(&mut t, 1, 0, 4, AccessKind::Write).is_err());
        access(&mut t, 0, 0, 4, AccessKind::Write).ok().unwrap();
        let e = access(&mut t, 1, 0, 4, AccessKind::Read).err().expect("disabled by the parent's write");
        assert!(e.details.iter().any(|d| d.contains("has state Disabled")));
        assert!(e.history.iter().any(|h| h.0.contains("later transitioned to Disabled due to a foreign write access")));
    }

    #[test]
    fn reserved_becomes_unique_on_write_and_tolerates_foreign_reads() {
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        access(&mut t, 0, 0, 4, AccessKind::Read).ok().unwrap();
        access(&mut t, 1, 0, 4, AccessKind::Write).ok().unwrap();
        access(&mut t, 0, 0, 4, AccessKind::Read).ok().unwrap();
        assert!(access(&mut t, 1, 0, 4, AccessKind::Write).is_err(), "frozen by the foreign read");
    }

    #[test]
    fn bytes_are_independent() {
        let mut t = TbAlloc::new(8);
        t.reborrow(0, 1, 0, &[(0, 8, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        t.reborrow(0, 2, 0, &[(0, 8, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        access(&mut t, 1, 0, 4, AccessKind::Write).ok().unwrap();
        access(&mut t, 2, 4, 4, AccessKind::Write).ok().unwrap();
        assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_ok());
        assert!(access(&mut t, 1, 4, 4, AccessKind::Read).is_err());
    }

    #[test]
    fn protected_tags_may_not_be_disabled_where_accessed() {
        let live = |c: CallId| c == 7;
        let mut t = TbAlloc::new(8);
        t.reborrow(0, 1, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE).ok().unwrap();
        // Bytes 4..8 are outside the reborrow: not accessed, so no protector violation.
        t.access(0, 4, 4, AccessKind::Write, Cause::Access, &live, SITE).ok().unwrap();
        let e = t.access(0, 0, 4, AccessKind::Write, Cause::Access, &live, SITE).err().unwrap();
        assert!(e.details.iter().any(|d| d == "protected tags must never be Disabled"));
        // Strong protectors forbid deallocation, weak ones do not.
        assert!(t.dealloc(Some(1), &live, SITE).is_err());
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, &[(0, 4, RES)], RES, 7, true, &live, SITE).ok().unwrap();
        assert!(t.dealloc(Some(1), &live, SITE).is_ok());
    }

    #[test]
    fn conflicted_reserved_cannot_be_written_while_protected() {
        let live = |c: CallId| c == 7;
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE).ok().unwrap();
        t.reborrow(0, 2, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE).ok().unwrap();
        let e = t.access(1, 0, 4, AccessKind::Write, Cause::Access, &live, SITE).err().unwrap();
        assert!(e.details.iter().any(|d| d.contains("Reserved (conflicted)")));
    }

    #[test]
    fn protector_release_writes_for_unique_tags_but_spares_descendants() {
        let live = |c: CallId| c == 7;
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        t.reborrow(0, 2, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE).ok().unwrap();
        t.access(2, 0, 4, AccessKind::Write, Cause::Access, &live, SITE).ok().unwrap();
        t.reborrow(2, 3, 0, &[(0, 4, RES)], RES, 0, false, &live, SITE).ok().unwrap();
        t.release_protector(2, &live, SITE).ok().unwrap();
        // The sibling saw a foreign write; the child of the protected tag is untouched.
        assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_err());
        assert!(access(&mut t, 3, 0, 4, AccessKind::Write).is_ok());
    }

    #[test]
    fn dead_chains_of_shared_references_collapse() {
        let mut t = TbAlloc::new(8);
        t.reborrow(0, 1, 0, &[(0, 8, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        // `v = &v[1..]` in a loop: each shared reference is derived from the previous one.
        for tag in 2..=50 {
            t.reborrow(tag - 1, tag, 0, &[(0, 8, TbPerm::Frozen)], TbPerm::Frozen, 0, false, &none, SITE).ok().unwrap();
        }
        t.retain_live(&|tag| tag == 1 || tag == 50, &none);
        assert_eq!(t.node_count(), 3, "root, 1 and 50: the frozen chain between them is redundant");
        assert!(access(&mut t, 50, 0, 8, AccessKind::Read).is_ok());
        assert!(access(&mut t, 50, 0, 8, AccessKind::Write).is_err());
        access(&mut t, 1, 0, 8, AccessKind::Write).ok().unwrap();
        assert!(access(&mut t, 50, 0, 8, AccessKind::Read).is_err(), "a write through the ancestor still disables it");
        // A Reserved (not yet written) inner node is not redundant: its child could write.
        let mut t = TbAlloc::new(8);
        t.reborrow(0, 1, 0, &[(0, 8, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        t.reborrow(1, 2, 0, &[(0, 8, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        t.retain_live(&|tag| tag == 2, &none);
        assert_eq!(t.node_count(), 3);
    }

    #[test]
    fn dead_leaves_are_collected() {
        let mut t = TbAlloc::new(4);
        for tag in 1..=10 {
            t.reborrow(0, tag, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        }
        t.reborrow(5, 11, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE).ok().unwrap();
        t.retain_live(&|tag| tag == 11 || tag == 3, &none);
        assert_eq!(t.node_count(), 4, "root, 3, 5 (parent of a live tag) and 11");
        assert!(access(&mut t, 11, 0, 4, AccessKind::Write).is_ok());
        assert!(access(&mut t, 3, 0, 4, AccessKind::Read).is_err(), "disabled by the write through 11");
    }
}
