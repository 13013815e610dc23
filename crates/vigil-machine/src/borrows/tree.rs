//! Tree Borrows: a tree of tags per allocation and, per byte, a permission for every tag,
//! changed by child (through the tag or a descendant) and foreign accesses.

use std::collections::HashMap;

use vigil_ir::{FnId, SpanId};

use super::range_map::RangeMap;
use super::stacked::{AccessKind, CallId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TbPerm {
    Cell,
    Reserved { conflicted: bool },
    ReservedIm,
    Unique,
    Frozen,
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

    /// The state after an access; `None` when a child access is forbidden.
    fn transition(self, child: bool, access: AccessKind, protected: bool) -> Option<TbPerm> {
        use AccessKind::*;
        use TbPerm::*;
        Some(match (self, child, access) {
            (Cell, ..) => Cell,
            (Reserved { conflicted }, true, Read) => Reserved { conflicted },
            (Reserved { conflicted: true }, true, Write) if protected => return None,
            (Reserved { .. }, true, Write) => Unique,
            (Reserved { .. }, false, Read) if protected => Reserved { conflicted: true },
            (Reserved { conflicted }, false, Read) => Reserved { conflicted },
            (Reserved { .. }, false, Write) => Disabled,
            (ReservedIm, true, Write) => Unique,
            (ReservedIm, _, _) => ReservedIm,
            (Unique, true, _) => Unique,
            (Unique, false, Read) if protected => Disabled,
            (Unique, false, Read) => Frozen,
            (Unique, false, Write) => Disabled,
            (Frozen, true, Read) => Frozen,
            (Frozen, true, Write) => return None,
            (Frozen, false, Read) => Frozen,
            (Frozen, false, Write) => Disabled,
            (Disabled, true, _) => return None,
            (Disabled, false, _) => Disabled,
        })
    }
}

/// One byte's state for one tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LocState {
    perm: TbPerm,
    accessed: bool,
}

struct Node {
    tag: u32,
    parent: Option<usize>,
    protector: CallId,
    /// State of the bytes this tag has no explicit state for.
    default: TbPerm,
    created: (FnId, SpanId),
    initial: TbPerm,
}

/// Why an access is refused.
pub struct TbError {
    pub title_kind: &'static str,
    pub details: Vec<String>,
    /// Tags whose creation the report shows: (label, site).
    pub history: Vec<(String, (FnId, SpanId))>,
}

/// The tree of one allocation.
pub struct TbAlloc {
    nodes: Vec<Node>,
    by_tag: HashMap<u32, usize>,
    states: RangeMap<Vec<Option<LocState>>>,
}

impl TbAlloc {
    pub fn new(size: u64) -> TbAlloc {
        let root = Node { tag: 0, parent: None, protector: 0, default: TbPerm::Unique, created: (FnId(0), SpanId(0)), initial: TbPerm::Unique };
        let mut by_tag = HashMap::new();
        by_tag.insert(0, 0);
        TbAlloc { nodes: vec![root], by_tag, states: RangeMap::new(size, vec![Some(LocState { perm: TbPerm::Unique, accessed: true })]) }
    }

    fn node_of(&self, tag: u32) -> usize {
        // Tags this tree never saw (raw pointers keep their parent's tag) act as the root.
        self.by_tag.get(&tag).copied().unwrap_or(0)
    }

    fn ancestors(&self, n: usize) -> Vec<bool> {
        let mut a = vec![false; self.nodes.len()];
        let mut cur = Some(n);
        while let Some(c) = cur {
            a[c] = true;
            cur = self.nodes[c].parent;
        }
        a
    }

    /// An access of `kind` through `tag` over `[offset, offset+size)`.
    pub fn access(&mut self, tag: u32, offset: u64, size: u64, kind: AccessKind, protected: &dyn Fn(CallId) -> bool, cause: &'static str) -> Result<(), TbError> {
        let n = self.node_of(tag);
        let anc = self.ancestors(n);
        let nodes = &self.nodes;
        self.states.for_each_mut(offset, size, |_, states| {
            if states.len() < nodes.len() {
                states.resize(nodes.len(), None);
            }
            for (i, node) in nodes.iter().enumerate() {
                let child = anc[i];
                let cur = states[i].unwrap_or(LocState { perm: node.default, accessed: false });
                let prot = node.protector != 0 && protected(node.protector);
                let Some(next) = cur.perm.transition(child, kind, prot) else {
                    let mut details = Vec::new();
                    if i != n {
                        details.push(format!("the accessed tag <{}> is a child of the conflicting tag <{}>", tag, node.tag));
                    }
                    details.push(format!(
                        "the {} tag <{}> has state {} which forbids this child {} access",
                        if i == n { "accessed" } else { "conflicting" },
                        node.tag,
                        cur.perm.name(),
                        if kind == AccessKind::Read { "read" } else { "write" }
                    ));
                    return Err(TbError {
                        title_kind: cause,
                        details,
                        history: vec![(format!("the {} tag <{}> was created here, in the initial state {}", if i == n { "accessed" } else { "conflicting" }, node.tag, node.initial.name()), node.created)],
                    });
                };
                if prot && next == TbPerm::Disabled && cur.perm != TbPerm::Disabled && cur.accessed {
                    return Err(TbError {
                        title_kind: cause,
                        details: vec![
                            format!("the accessed tag <{}> is foreign to the protected tag <{}> (i.e., it is not a child)", tag, node.tag),
                            format!(
                                "this foreign {} access would cause the protected tag <{}> (currently {}) to become Disabled",
                                if kind == AccessKind::Read { "read" } else { "write" },
                                node.tag,
                                cur.perm.name()
                            ),
                            "protected tags must never be Disabled".into(),
                        ],
                        history: vec![(format!("the protected tag <{}> was created here, in the initial state {}", node.tag, node.initial.name()), node.created)],
                    });
                }
                states[i] = Some(LocState { perm: next, accessed: cur.accessed || child });
            }
            Ok(())
        })
    }

    /// A new tag below `parent`: bytes in `[offset, offset+size)` start as `perm_at(byte)`
    /// (after a read through the parent unless the byte is a `Cell`); other bytes `default`.
    #[allow(clippy::too_many_arguments)]
    pub fn reborrow(
        &mut self,
        parent: u32,
        new_tag: u32,
        offset: u64,
        size: u64,
        segments: &[(u64, u64, TbPerm)],
        default: TbPerm,
        protector: CallId,
        protected: &dyn Fn(CallId) -> bool,
        site: (FnId, SpanId),
    ) -> Result<(), TbError> {
        let p = self.node_of(parent);
        for &(s, e, perm) in segments {
            if perm != TbPerm::Cell && e > s {
                self.access(parent, offset + s, e - s, AccessKind::Read, protected, "reborrow")?;
            }
        }
        let idx = self.nodes.len();
        let initial = segments.first().map(|s| s.2).unwrap_or(default);
        self.nodes.push(Node { tag: new_tag, parent: Some(p), protector, default, created: site, initial });
        self.by_tag.insert(new_tag, idx);
        for &(s, e, perm) in segments {
            if e > s {
                let accessed = perm != TbPerm::Cell;
                let _ = self.states.for_each_mut::<()>(offset + s, e - s, |_, st| {
                    if st.len() <= idx {
                        st.resize(idx + 1, None);
                    }
                    st[idx] = Some(LocState { perm, accessed });
                    Ok(())
                });
            }
        }
        let _ = size;
        Ok(())
    }

    /// Deallocation: a write through `tag` everywhere; no strongly protected tag may remain.
    pub fn dealloc(&mut self, tag: u32, size: u64, protected: &dyn Fn(CallId) -> bool) -> Result<(), TbError> {
        self.access(tag, 0, size, AccessKind::Write, protected, "deallocation")?;
        if let Some(node) = self.nodes.iter().find(|n| n.protector != 0 && protected(n.protector)) {
            return Err(TbError {
                title_kind: "deallocation",
                details: vec![
                    format!("the allocation of the accessed tag <{tag}> also contains the strongly protected tag <{}>", node.tag),
                    format!("the strongly protected tag <{}> disallows deallocations", node.tag),
                ],
                history: Vec::new(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: CallId) -> bool {
        false
    }
    const SITE: (FnId, SpanId) = (FnId(0), SpanId(0));

    #[test]
    fn frozen_children_forbid_writes_and_parent_writes_disable_them() {
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, 4, &[(0, 4, TbPerm::Frozen)], TbPerm::Frozen, 0, &none, SITE).ok().unwrap();
        assert!(t.access(1, 0, 4, AccessKind::Read, &none, "read access").is_ok());
        assert!(t.access(1, 0, 4, AccessKind::Write, &none, "write access").is_err());
        t.access(0, 0, 4, AccessKind::Write, &none, "write access").ok().unwrap();
        assert!(t.access(1, 0, 4, AccessKind::Read, &none, "read access").is_err(), "disabled by the parent's write");
    }

    #[test]
    fn reserved_becomes_unique_on_write_and_tolerates_foreign_reads() {
        let mut t = TbAlloc::new(4);
        t.reborrow(0, 1, 0, 4, &[(0, 4, TbPerm::Reserved { conflicted: false })], TbPerm::Reserved { conflicted: false }, 0, &none, SITE).ok().unwrap();
        t.access(0, 0, 4, AccessKind::Read, &none, "read access").ok().unwrap();
        t.access(1, 0, 4, AccessKind::Write, &none, "write access").ok().unwrap();
        t.access(0, 0, 4, AccessKind::Read, &none, "read access").ok().unwrap();
        assert!(t.access(1, 0, 4, AccessKind::Write, &none, "write access").is_err(), "frozen by the foreign read");
    }
}
