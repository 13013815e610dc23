//! Tags that act as their parent's node: shared references to `UnsafeCell`s alone.
//!
//! A shared reborrow of a pointee that is `UnsafeCell` on every byte (`&AtomicU64`,
//! `&Mutex<T>`'s futex, `&Cell<u32>`) makes a node that is `Cell` everywhere, inside the
//! pointee and beyond it. Such a node never refuses an access and no access changes it
//! (`TbPerm::after`), its protector guards nothing (protector ends and deallocations look
//! at bytes other than `Cell` only), and the reborrow makes no access. An access through
//! its tag is therefore the same access through its parent, for every other node: the
//! parent's ancestors see a child access either way, everything else a foreign one (the
//! node's own descendants, hanging below its parent instead, included). So the tag gets no
//! node: it is an alias of the parent's (`Alias`), resolved wherever a tag is looked up,
//! and new tags made from it hang below the parent. Reports name the alias as the
//! reference interpreter names the node it would have made: the accessed tag (a child of
//! the conflicting tag when its parent or an ancestor refuses), created at the reborrow.
//!
//! Architecture invariant: an alias's target is a node of the tree (never another alias),
//! and a collection keeps the target of every alias whose tag some pointer still holds.
//! The printed tree (`miri_print_borrow_state`) would lack the alias's row: the driver
//! makes no aliases in programs that ask for it (`Config::tb_cell_aliases`).

use super::{Access, Site, TbAlloc, TbError};

/// A tag without a node of its own, acting as `target`'s node.
#[derive(Clone, Copy, Debug)]
pub(super) struct Alias {
    pub(super) tag: u32,
    /// The node's tag the alias acts as.
    pub(super) target: u32,
    /// Where the reborrow was made, for reports.
    pub(super) created: Site,
}

impl TbAlloc {
    /// A new tag `tag` for a shared reborrow through `parent` of bytes that are all
    /// `UnsafeCell`s (the node would be `Cell` everywhere): it acts as `parent`'s node.
    pub fn alias(&mut self, parent: u32, tag: u32, site: Site) {
        let target = self.alias_of(parent).map_or(parent, |a| a.target);
        debug_assert!(self.aliases.last().is_none_or(|a| a.tag < tag), "tags are handed out in increasing order");
        self.aliases.push(Alias { tag, target, created: site });
    }

    /// The alias `tag` is, if it is one.
    pub(super) fn alias_of(&self, tag: u32) -> Option<&Alias> {
        self.aliases.binary_search_by_key(&tag, |a| a.tag).ok().map(|i| &self.aliases[i])
    }

    /// The node acting for `tag`: its own, or its alias target's.
    pub(super) fn find_acting(&self, tag: u32) -> Option<u32> {
        self.find(tag).or_else(|| self.find(self.alias_of(tag)?.target))
    }

    /// `access` through an alias: the same access through its target, reported as made
    /// through the alias.
    #[cold]
    #[inline(never)]
    pub(super) fn access_via_alias(&mut self, tag: u32, offset: u64, size: u64, a: Access) -> Result<(), TbError> {
        let Some(alias) = self.alias_of(tag).copied() else {
            // (No node and no alias: `node_of` says what happens.)
            let n = self.node_of(tag);
            let target = self.nodes[n as usize].tag;
            return self.access(target, offset, size, a);
        };
        self.through(alias, |t| t.access(alias.target, offset, size, a))
    }

    /// `op` on this tree as made through `alias`'s target, reported as made through the
    /// alias (`via_alias`, read by the reports).
    pub(super) fn through<R>(&mut self, alias: Alias, op: impl FnOnce(&mut TbAlloc) -> R) -> R {
        self.via_alias = Some(alias);
        let r = op(self);
        self.via_alias = None;
        r
    }

    /// Forgets the aliases no pointer holds any more (`live` says which tags are held) and
    /// returns, sorted, the targets of the others, which the collection must keep.
    pub(super) fn retain_live_aliases(&mut self, live: &dyn Fn(u32) -> bool, targets: &mut Vec<u32>) {
        targets.clear();
        self.aliases.retain(|a| live(a.tag));
        targets.extend(self.aliases.iter().map(|a| a.target));
        targets.sort_unstable();
        targets.dedup();
    }

    /// Forgets the aliases from tag `tag` on (`truncate_from`).
    pub(super) fn truncate_aliases(&mut self, tag: u32) {
        let cut = self.aliases.partition_point(|a| a.tag < tag);
        self.aliases.truncate(cut);
    }
}
