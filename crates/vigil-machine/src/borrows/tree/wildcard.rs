//! Tree Borrows and exposed provenance: exposing tags, and accesses through wildcard
//! pointers made from exposed addresses.

use super::report::Cause;
use super::{Access, NO_PARENT, TbAlloc, TbError, k};
use crate::borrows::stacked::{AccessKind, CallId};

impl TbAlloc {
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
    /// when some exposed tag could make it on every byte. Nodes with no exposed tag in their
    /// subtree certainly see a foreign access; nodes above every exposed tag that could have
    /// made it certainly see a child access (with one such tag: that tag and its ancestors);
    /// the others (which might or might not be above the accessing tag) are left as they
    /// are, which never refuses more than the precise answer would.
    pub fn wildcard_access(&mut self, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let Access { kind, cause, protected, .. } = a;
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
        // The nodes every possible accessor lies below (each accessor with its ancestors,
        // counted; the common ones saw all of them).
        let accessors: Vec<u32> =
            exposed.iter().copied().filter(|&e| self.child_access_allowed(e, offset, size, kind, protected)).collect();
        let mut above: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for &e in &accessors {
            let mut cur = e;
            while cur != NO_PARENT {
                *above.entry(cur).or_default() += 1;
                cur = self.nodes[cur as usize].parent;
            }
        }
        let k = k(kind);
        self.visit.clear();
        let mut pending = vec![0u32];
        while let Some(c) = pending.pop() {
            let node = &self.nodes[c as usize];
            if !accessors.is_empty() && above.get(&c) == Some(&accessors.len()) {
                self.visit.push((c, true));
                pending.extend(&node.children);
            } else if node.exposed_below > 0 {
                pending.extend(&node.children);
            } else if node.loud_below[k] > 0 {
                if node.loud[k] {
                    self.visit.push((c, false));
                }
                pending.extend(&node.children);
            }
        }
        self.perform(NO_PARENT, offset, size, a)?;
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
}
