//! Tree Borrows and exposed provenance: exposing tags, accesses through wildcard pointers
//! (made from exposed addresses), and the extra trees that retags of wildcard pointers root.
//!
//! A wildcard access was made by *some* exposed tag, we do not know which. Per byte, each
//! exposed tag can make child accesses up to a level (its `Reach`: none when `Disabled`,
//! reads when `Frozen` or protected `Reserved (conflicted)`, else writes). For a node, the
//! possible accessors of a wildcard access of kind K are the exposed tags whose reach
//! allows K: when all of them are in the node's subtree the access is certainly a child
//! access for it, when none is it is certainly foreign, and otherwise the node is left as
//! it is (it might be either). When no exposed tag can make it at all, the access is UB.
//! Nodes are processed children first, so that an exposed tag losing its reach through
//! this very access already counts for its ancestors.
//!
//! A retag of a wildcard pointer creates a node whose parent is unknown (some exposed tag
//! created before it): it becomes the root of a tree of its own, kept in `wild_roots` beside
//! the allocation's main tree (rooted at node 0). Such a tree may always see a foreign access
//! (from its unknown parent's side). An access through a tag of one tree is a wildcard
//! access for every other tree, except that only nodes with tags up to the accessed tree's
//! root tag can be ancestors of the accessed tag (a parent is older than its child), so
//! for newer nodes the access is foreign.
//!
//! None of this costs anything while an allocation has one tree and no wildcard access is
//! made: the counts are computed when a wildcard access happens, from the exposed nodes.

use super::perm::{LocState, TbPerm};
use super::report::{Cause, Refusal, Through};
use super::{Access, NIL, NO_PARENT, TbAlloc, TbError, k};
use crate::borrows::stacked::AccessKind;

/// The strongest child access a tag permits at one byte: what a wildcard access could do
/// through it if it is exposed. Ordered: `None < Read < Write`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    None,
    Read,
    Write,
}

impl Reach {
    pub(super) fn of(perm: TbPerm, protected: bool) -> Reach {
        match perm {
            TbPerm::Disabled => Reach::None,
            TbPerm::Frozen => Reach::Read,
            TbPerm::Reserved { conflicted: true } if protected => Reach::Read,
            _ => Reach::Write,
        }
    }

    pub(super) fn allows(self, kind: AccessKind) -> bool {
        self >= match kind {
            AccessKind::Read => Reach::Read,
            AccessKind::Write => Reach::Write,
        }
    }
}

/// Where a wildcard access comes from, as one node sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Relation {
    /// Through the node or a descendant: a child access.
    Child,
    /// Through a node outside its subtree: a foreign access.
    Foreign,
    /// Could be either: the node is left as it is.
    Unknown,
}

/// Which tree a node belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TreeKind {
    /// The allocation's own tree: every access comes from inside it.
    Main,
    /// Rooted at a retag of a wildcard pointer: the access may come from outside it.
    WildcardRooted,
}

/// Whether a node may be an ancestor of the accessing tag at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Candidacy {
    /// It may (its exposed descendants could have made the access).
    Possible,
    /// It is newer than the accessed tree's root: the access is foreign for it.
    TooNew,
}

/// The relation of a wildcard access of some kind to a node, from the number of exposed
/// tags that could make it in the node's tree (`total`) and in its subtree (`local`).
/// `None`: no exposed tag could make it (UB).
pub(super) fn relation(total: u32, local: u32, tree: TreeKind, candidacy: Candidacy) -> Option<Relation> {
    // A wildcard-rooted tree's unknown parent is one more possible (foreign) accessor; not
    // folded into the root's count, which is also the root's local count.
    let total = total + (tree == TreeKind::WildcardRooted) as u32;
    let r = if total == 0 {
        return None;
    } else if local == total {
        Relation::Child
    } else if local == 0 {
        Relation::Foreign
    } else {
        Relation::Unknown
    };
    match (candidacy, r) {
        (Candidacy::Possible, r) => Some(r),
        // Only its own exposed descendants could have made it, and none can: UB.
        (Candidacy::TooNew, Relation::Child) => None,
        (Candidacy::TooNew, _) => Some(Relation::Foreign),
    }
}

/// Who made an access that a wildcard pass applies to.
#[derive(Clone, Copy, Debug)]
pub(super) enum Source {
    /// A wildcard pointer: any exposed tag.
    Wildcard,
    /// The tag of node `node`, in another tree whose root's tag is `root_tag`.
    Tag { node: u32, root_tag: u32 },
}

/// One state change a wildcard pass decided, applied once the byte run is checked.
struct Change {
    node: u32,
    to: LocState,
    child: bool,
}

impl TbAlloc {
    /// Marks `tag` exposed: wildcard pointers may act as it from now on.
    pub fn expose(&mut self, tag: u32) {
        // (An alias's target acts for it: exposing it exposes the target, see `alias.rs`.)
        let Some(n) = self.find_acting(tag) else { return };
        if self.nodes[n as usize].exposed {
            return;
        }
        self.nodes[n as usize].exposed = true;
        let mut cur = n;
        while cur != NO_PARENT {
            self.nodes[cur as usize].exposed_below += 1;
            cur = self.nodes[cur as usize].parent;
        }
        self.last_noop = None;
    }

    /// An access through a wildcard pointer: a wildcard pass over every tree.
    pub fn wildcard_access(&mut self, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        if size == 0 {
            return Ok(());
        }
        let trees: Vec<u32> = self.roots().collect();
        self.wildcard_pass(&trees, Source::Wildcard, offset, size, a)
    }

    /// The roots of every tree of the allocation, in tag order (the main tree first).
    pub(super) fn roots(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(0).chain(self.wild_roots.iter().copied())
    }

    /// The root of node `n`'s tree.
    pub(super) fn root_of(&self, n: u32) -> u32 {
        let mut cur = n;
        while self.nodes[cur as usize].parent != NO_PARENT {
            cur = self.nodes[cur as usize].parent;
        }
        cur
    }

    /// After an access through node `n` (in its own tree), the same access on every other
    /// tree, as a wildcard access. `protector_end`: a protector's end, which spares the
    /// trees that may hang below `n` (those rooted after `n`'s oldest exposed descendant).
    pub(super) fn cross_tree(&mut self, n: u32, protector_end: bool, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let own = self.root_of(n);
        let oldest_exposed = if protector_end { self.oldest_exposed_in(n) } else { None };
        let mut trees = Vec::with_capacity(self.wild_roots.len() + 1);
        for r in self.roots() {
            // Roots are in tag order: once one may hang below `n`, so may the rest.
            if oldest_exposed.is_some_and(|t| self.nodes[r as usize].tag > t) {
                break;
            }
            if r != own {
                trees.push(r);
            }
        }
        if trees.is_empty() {
            return Ok(());
        }
        let source = Source::Tag { node: n, root_tag: self.nodes[own as usize].tag };
        self.wildcard_pass(&trees, source, offset, size, a)
    }

    /// The smallest tag of an exposed node in `n`'s subtree (`n` included).
    fn oldest_exposed_in(&self, n: u32) -> Option<u32> {
        let mut best: Option<u32> = None;
        let mut stack = vec![n];
        while let Some(i) = stack.pop() {
            let node = &self.nodes[i as usize];
            // Children are newer than their parent: nothing below beats what we have.
            if node.exposed_below == 0 || best.is_some_and(|b| b < node.tag) {
                continue;
            }
            if node.exposed {
                best = Some(best.map_or(node.tag, |b| b.min(node.tag)));
            }
            stack.extend(self.children(i));
        }
        best
    }

    /// The parts of `[offset, offset+size)` where an access through node `n` reaches node
    /// `i`, which sees it as foreign: Miri skips a foreign subtree whose top node ignores
    /// the access (it is `Disabled`, or `Frozen` and the access reads), so `i` keeps its
    /// state where one of its ancestors below `n`'s path does. Only exposed tags need this
    /// (it decides what a wildcard access may go through; elsewhere it changes no verdict).
    pub(super) fn unshielded(&self, n: u32, i: u32, kind: AccessKind, offset: u64, size: u64) -> Vec<(u64, u64)> {
        let end = offset + size;
        let on_path = |a: u32| {
            let mut cur = n;
            while cur != NO_PARENT {
                if cur == a {
                    return true;
                }
                cur = self.nodes[cur as usize].parent;
            }
            false
        };
        let mut shields = Vec::new();
        let mut a = self.nodes[i as usize].parent;
        while a != NO_PARENT && !on_path(a) {
            for (s, e, st) in self.nodes[a as usize].states.runs() {
                let ignores = st.perm == TbPerm::Disabled || (st.perm == TbPerm::Frozen && kind == AccessKind::Read);
                if ignores && s < end && offset < e {
                    shields.push((s.max(offset), e.min(end)));
                }
            }
            a = self.nodes[a as usize].parent;
        }
        shields.sort_unstable();
        let mut parts = Vec::new();
        let mut at = offset;
        for (s, e) in shields {
            if s > at {
                parts.push((at, s));
            }
            at = at.max(e);
        }
        if at < end {
            parts.push((at, end));
        }
        parts
    }

    /// The nodes of the tree rooted at `root` that a wildcard access of `kind` over the
    /// range may change or needs to count, children before their parents, later children
    /// first: every node with an exposed node in its subtree, and in the other subtrees
    /// (which certainly see a foreign access) the loud nodes. Each comes with the index in
    /// `out` where its subtree's nodes begin.
    fn wildcard_order(&self, root: u32, kind: AccessKind, offset: u64, size: u64, out: &mut Vec<(u32, usize)>) {
        let k = k(kind);
        // (node, where its subtree begins once it has been expanded)
        let mut stack: Vec<(u32, Option<usize>)> = vec![(root, None)];
        while let Some((i, expanded)) = stack.pop() {
            let node = &self.nodes[i as usize];
            if let Some(start) = expanded {
                let (lo, hi) = node.loud_span[k];
                if node.exposed_below > 0 || (node.loud[k] && lo < offset + size && offset < hi) {
                    out.push((i, start));
                }
                continue;
            }
            stack.push((i, Some(out.len())));
            if node.exposed_below > 0 {
                stack.extend(self.children(i).map(|c| (c, None)));
            } else if node.loud_head[k] != NIL {
                stack.extend(self.loud_children(i, k).map(|c| (c, None)));
            }
        }
    }

    /// A wildcard access (from `source`) of `a.kind` over the range on each tree of
    /// `trees` (their roots, in tag order), byte run by byte run.
    ///
    /// Like Miri, a subtree is skipped whole when its top node certainly sees a foreign
    /// access it ignores (it is `Disabled`, or `Frozen` and the access reads): the nodes
    /// below it keep their states, and so exposed ones keep their reach.
    pub(super) fn wildcard_pass(&mut self, trees: &[u32], source: Source, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let Access { kind, protected, .. } = a;
        let end = offset + size;
        // Per tree, its nodes in processing order.
        let mut order: Vec<(u32, usize)> = Vec::new();
        let mut spans = Vec::with_capacity(trees.len());
        for &r in trees {
            let start = order.len();
            self.wildcard_order(r, kind, offset, size, &mut order);
            let tree = if r == 0 { TreeKind::Main } else { TreeKind::WildcardRooted };
            spans.push((start, order.len(), tree));
        }
        // Per position, the positions of the nodes whose subtree begins there, outermost
        // first (only nodes with exposed nodes below are ever skipped as a whole: elsewhere
        // skipping changes no verdict).
        let mut begins: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
        for (pos, &(i, start)) in order.iter().enumerate().rev() {
            if self.nodes[i as usize].exposed_below > 0 {
                begins[start].push(pos);
            }
        }
        // Byte runs on which every node involved is uniform.
        let mut cuts = vec![offset, end];
        for &(i, _) in &order {
            self.nodes[i as usize].states.for_each_in(offset, size, |s, _| {
                cuts.push(s.max(offset));
                true
            });
        }
        cuts.sort_unstable();
        cuts.dedup();
        let limit = match source {
            Source::Wildcard => u32::MAX,
            Source::Tag { root_tag, .. } => root_tag,
        };
        let accessed = match source {
            Source::Wildcard => NO_PARENT,
            Source::Tag { node, .. } => node,
        };
        // Per node, how many possible accessors its processed children hold (only the
        // entries of nodes in `order` are ever read, each reset before use).
        let mut below = std::mem::take(&mut self.wild_below);
        below.resize(self.nodes.len(), 0);
        // Per position, the possible accessors before the access, and their prefix sums.
        let mut before = vec![0u32; order.len() + 1];
        let mut changes: Vec<Change> = Vec::new();
        for w in cuts.windows(2) {
            let (s, e) = (w[0], w[1]);
            changes.clear();
            for &(lo, hi, tree) in &spans {
                let prot = |i: u32| {
                    let n = &self.nodes[i as usize];
                    n.protector != 0 && protected(n.protector)
                };
                let counts = |i: u32, st: &LocState| {
                    let n = &self.nodes[i as usize];
                    (n.exposed && Reach::of(st.perm, prot(i)).allows(kind)) as u32
                };
                let candidacy = |i: u32| if self.nodes[i as usize].tag > limit { Candidacy::TooNew } else { Candidacy::Possible };
                let mut total: u32 = 0;
                for pos in lo..hi {
                    let i = order[pos].0;
                    below[i as usize] = 0;
                    let c = counts(i, self.nodes[i as usize].states.get(s));
                    total += c;
                    before[pos + 1] = before[pos] + c;
                }
                let mut some_accessor = false;
                let mut pos = lo;
                'nodes: while pos < hi {
                    // Subtrees beginning here: skipped whole when their top node certainly
                    // sees a foreign access it ignores.
                    for &top in &begins[pos] {
                        let (t, start) = order[top];
                        let st = self.nodes[t as usize].states.get(s);
                        let ignores = st.perm == TbPerm::Disabled || (st.perm == TbPerm::Frozen && kind == AccessKind::Read);
                        let local = before[top + 1] - before[start];
                        if ignores && relation(total, local, tree, candidacy(t)) == Some(Relation::Foreign) {
                            let parent = self.nodes[t as usize].parent;
                            if parent != NO_PARENT {
                                below[parent as usize] += local;
                            }
                            pos = top + 1;
                            continue 'nodes;
                        }
                    }
                    let i = order[pos].0;
                    pos += 1;
                    let node = &self.nodes[i as usize];
                    let st = *node.states.get(s);
                    let own = counts(i, &st);
                    let Some(rel) = relation(total, own + below[i as usize], tree, candidacy(i)) else {
                        return Err(no_accessor(s, kind, a.cause));
                    };
                    some_accessor |= own > 0 && candidacy(i) == Candidacy::Possible;
                    let mut after = st;
                    if rel != Relation::Unknown {
                        let child = rel == Relation::Child;
                        let p = prot(i);
                        let refused = match st.perm.after(child, kind, p) {
                            None => Some(false),
                            Some(TbPerm::Disabled) if p && st.accessed && st.perm != TbPerm::Disabled => Some(true),
                            Some(to) => {
                                after = LocState { perm: to, accessed: st.accessed || child };
                                None
                            }
                        };
                        if let Some(protector) = refused {
                            let r = Refusal { offset: s, rank: 0, node: i, state: st, protector, child };
                            return Err(self.refusal_error(accessed, r, kind, a.cause));
                        }
                        if after != st {
                            changes.push(Change { node: i, to: after, child });
                        }
                    }
                    let own_after = counts(i, &after);
                    total = total - own + own_after;
                    let parent = node.parent;
                    if parent != NO_PARENT {
                        below[parent as usize] += own_after + below[i as usize];
                    }
                }
                if tree == TreeKind::Main && !some_accessor {
                    return Err(no_accessor(s, kind, a.cause));
                }
            }
            for c in &changes {
                self.apply(c.node, s, e - s, c.to, c.child, offset, size, a);
            }
        }
        self.wild_below = below;
        self.last_noop = None;
        Ok(())
    }

    /// Sets node `i`'s state on `[s, s+len)` to `to` (one uniform run), recording the event
    /// of the access over `[offset, offset+size)`.
    #[allow(clippy::too_many_arguments)]
    fn apply(&mut self, i: u32, s: u64, len: u64, to: LocState, child: bool, offset: u64, size: u64, a: Access) {
        self.record(i, s, len, (offset, offset + size), child, &a, |_| to, None);
        self.refresh_loud(i);
    }
}

/// The report when no exposed tag could make an access at byte `at`.
fn no_accessor(at: u64, kind: AccessKind, cause: Cause) -> TbError {
    TbError {
        title: match cause {
            Cause::Access => format!("{} access", kind.name()),
            Cause::Reborrow => "reborrow".into(),
            Cause::Dealloc => "deallocation".into(),
            Cause::ProtectorRelease => "protector release".into(),
        },
        offset: at,
        through: Through::Wildcard,
        details: vec!["there are no exposed tags which may perform this access here".into()],
        history: Vec::new(),
    }
}
