//! Stacked Borrows: a stack of permission items per byte, the access rules that pop them
//! and the reborrow rules that push them.

/// A pointer's borrow tag (0: the allocation's base tag).
pub type Tag = u64;
/// The tag of a pointer made from an exposed address: it may be any of the allocation's
/// exposed tags (the same value as `Prov::WILDCARD_TAG`).
pub const WILDCARD: Tag = u32::MAX as Tag;
/// A function call whose arguments are protected (0: unprotected). A protector is the call's
/// id, with `WEAK_PROTECTOR` set for the weak kind (`Box` arguments), which forbids
/// invalidating the item but not deallocating the memory.
pub type CallId = u64;
pub const WEAK_PROTECTOR: CallId = 1 << 63;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Perm {
    Unique,
    SharedReadWrite,
    SharedReadOnly,
    Disabled,
}

impl Perm {
    fn grants(self, access: AccessKind) -> bool {
        match access {
            AccessKind::Read => self != Perm::Disabled,
            AccessKind::Write => matches!(self, Perm::Unique | Perm::SharedReadWrite),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Perm::Unique => "Unique",
            Perm::SharedReadWrite => "SharedReadWrite",
            Perm::SharedReadOnly => "SharedReadOnly",
            Perm::Disabled => "Disabled",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    Read,
    Write,
}

impl AccessKind {
    pub fn name(self) -> &'static str {
        match self {
            AccessKind::Read => "read",
            AccessKind::Write => "write",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub tag: Tag,
    pub perm: Perm,
    pub protector: CallId,
}

// Stacks are cloned when a range is split: keep items small.
const _: () = assert!(std::mem::size_of::<Item>() <= 24);
// A stack sits in its range map's run, next to its neighbours: keep it small too (a
// larger one measurably slows programs whose maps split and merge often).
const _: () = assert!(std::mem::size_of::<Stack>() <= 48);

/// Why an access or reborrow is not allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SbError {
    /// No item grants the access; `found` is the tag's item if it is in the stack with a
    /// permission that does not suffice.
    NoGrant { access: AccessKind, tag: Tag, found: Option<Perm> },
    /// The access would remove an item that a live call protects.
    Protected { access: AccessKind, tag: Tag, victim: Item },
}

/// The borrow stack of one location (bottom first).
#[derive(Debug)]
pub struct Stack {
    items: Vec<Item>,
    /// One past the topmost `Unique` item (0: none), so a read that needs to disable
    /// nothing is known at once. Derived from `items`, so equality is unaffected.
    unique_end: u32,
    /// After an access through a wildcard pointer the stack below `items` is unknown: any
    /// tag below this bound (0: none) may still be in it.
    unknown_bottom: u32,
    /// A cache, not part of the stack's value: item `known_pos` has tag `known_tag` and is
    /// not `Disabled` (`known_pos == NO_KNOWN`: nothing known). A read through that tag with
    /// no `Unique` item above it changes nothing, so it is decided without looking at
    /// `items` (on the heap, a cache miss per stack when a retag walks thousands of them).
    known_tag: u32,
    known_pos: u32,
    /// A copy of the top item's tag and permission (`Disabled` when the stack is empty),
    /// so that the commonest check, "is the tag on top", needs no load from `items`
    /// either. Kept by `sync_top` after every change to `items`.
    top_tag: u32,
    top_perm: Perm,
}

const NO_KNOWN: u32 = u32::MAX;

/// Room a copy of a stack keeps for pushes (a copy is made when a range-map run splits,
/// and the retag that split it pushes onto it at once: without the room, that push
/// reallocates and copies the whole stack again).
const CLONE_ROOM: usize = 4;

impl Clone for Stack {
    fn clone(&self) -> Stack {
        let mut items = Vec::with_capacity(self.items.len() + CLONE_ROOM);
        items.extend_from_slice(&self.items);
        Stack {
            items,
            unique_end: self.unique_end,
            unknown_bottom: self.unknown_bottom,
            known_tag: self.known_tag,
            known_pos: self.known_pos,
            top_tag: self.top_tag,
            top_perm: self.top_perm,
        }
    }
}

/// Stacks are equal when their items are (`unique_end` and the copy of the top follow from
/// them; the cache is not part of the value), so equal neighbouring runs still merge.
impl PartialEq for Stack {
    fn eq(&self, other: &Stack) -> bool {
        self.items == other.items && self.unknown_bottom == other.unknown_bottom
    }
}

impl Eq for Stack {}

/// Where the previous stack of the same operation found its granting item, counted from
/// the top. Neighbouring locations usually share the top of their stacks (a retag over a
/// range pushes the same item everywhere), so trying that position first makes an
/// operation over many locations cost O(1) per location instead of a search each.
pub type Hint = Option<usize>;

impl Stack {
    pub fn new(base: Item) -> Stack {
        let unique_end = (base.perm == Perm::Unique) as u32;
        Stack {
            items: vec![base],
            unique_end,
            unknown_bottom: 0,
            known_tag: 0,
            known_pos: NO_KNOWN,
            top_tag: base.tag as u32,
            top_perm: base.perm,
        }
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Copies the top item into `top_tag`/`top_perm` (after a change to `items`).
    #[inline]
    fn sync_top(&mut self) {
        (self.top_tag, self.top_perm) = self.items.last().map_or((0, Perm::Disabled), |it| (it.tag as u32, it.perm));
    }

    /// Forgets the cached granting item (after a change that may move or disable it).
    #[inline]
    fn forget_known(&mut self) {
        self.known_pos = NO_KNOWN;
    }

    /// Forgets the cached granting item if it is at index `first` or above (items there
    /// were removed, disabled or moved).
    #[inline]
    fn forget_known_from(&mut self, first: usize) {
        if self.known_pos != NO_KNOWN && self.known_pos as usize >= first {
            self.forget_known();
        }
    }

    /// Remembers that item `i` grants (so it is not `Disabled`).
    #[inline]
    fn remember(&mut self, i: usize) {
        let tag = self.items[i].tag;
        if tag < NO_KNOWN as Tag && tag != WILDCARD {
            (self.known_tag, self.known_pos) = (tag as u32, i as u32);
        }
    }

    /// Whether a read through `tag` is known to change nothing: `tag`'s item is the cached
    /// one and no `Unique` item is above it.
    #[inline]
    fn read_is_known_noop(&self, tag: Tag) -> bool {
        self.known_pos != NO_KNOWN && self.known_tag as Tag == tag && self.unique_end <= self.known_pos + 1
    }

    fn recompute_unique_end(&mut self) {
        self.unique_end = self.items.iter().rposition(|it| it.perm == Perm::Unique).map_or(0, |i| i as u32 + 1);
    }

    /// The item granting `access` to `tag`: `Some(index)`, or `None` when the unknown
    /// bottom grants it. A wildcard is granted by the topmost item with an exposed tag.
    fn find_granting(
        &self,
        access: AccessKind,
        tag: Tag,
        exposed: &dyn Fn(Tag) -> bool,
        hint: &mut Hint,
    ) -> Result<Option<usize>, SbError> {
        if tag == WILDCARD {
            return match self.items.iter().rposition(|it| it.perm.grants(access) && exposed(it.tag)) {
                Some(i) => Ok(Some(i)),
                None if self.unknown_bottom != 0 => Ok(None),
                None => Err(SbError::NoGrant { access, tag, found: None }),
            };
        }
        match self.find_concrete(access, tag, hint) {
            Ok(i) => Ok(Some(i)),
            Err(_) if tag < self.unknown_bottom as Tag => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn find_concrete(&self, access: AccessKind, tag: Tag, hint: &mut Hint) -> Result<usize, SbError> {
        if let Some(d) = *hint
            && let Some(i) = self.items.len().checked_sub(d + 1)
        {
            let it = self.items[i];
            // A tag has at most one item per location (every retag makes a fresh tag).
            if it.tag == tag && it.perm.grants(access) {
                return Ok(i);
            }
        }
        match self.items.iter().rposition(|it| it.tag == tag && it.perm.grants(access)) {
            Some(i) => {
                *hint = Some(self.items.len() - 1 - i);
                Ok(i)
            }
            None => {
                let found = self.items.iter().rev().find(|it| it.tag == tag).map(|it| it.perm);
                Err(SbError::NoGrant { access, tag, found })
            }
        }
    }

    /// The first index above `granting` that a write through it would remove: everything
    /// above a `Unique`; above a `SharedReadWrite`, everything past its block of
    /// adjacent `SharedReadWrite` items.
    fn first_write_incompatible(&self, granting: usize) -> usize {
        if self.items[granting].perm != Perm::SharedReadWrite {
            return granting + 1;
        }
        let mut i = granting + 1;
        while i < self.items.len() && self.items[i].perm == Perm::SharedReadWrite {
            i += 1;
        }
        i
    }

    /// Whether an access with `tag` would leave the stack unchanged (the tag is on top and
    /// grants it), so it needs no further work.
    #[inline]
    pub fn access_is_noop(&self, access: AccessKind, tag: Tag) -> bool {
        self.top_tag as Tag == tag && self.top_perm.grants(access)
    }

    /// Performs an access with `tag`; `removed` receives the tags this access invalidates.
    pub fn access(
        &mut self,
        access: AccessKind,
        tag: Tag,
        protected: &dyn Fn(CallId) -> bool,
        exposed: &dyn Fn(Tag) -> bool,
        removed: &mut Vec<Tag>,
        hint: &mut Hint,
    ) -> Result<(), SbError> {
        // Fast paths: nothing above the granting item changes. The cache is looked at
        // first, as it needs no load from `items`.
        if access == AccessKind::Read && self.read_is_known_noop(tag) {
            return Ok(());
        }
        if self.access_is_noop(access, tag) {
            return Ok(());
        }
        let found = self.find_granting(access, tag, exposed, hint)?;
        self.invalidate_above(access, tag, found, protected, removed)?;
        if let Some(i) = found
            && tag != WILDCARD
        {
            // (`invalidate_above` only removes or disables items above `i`.)
            self.remember(i);
        }
        // Through a wildcard (or the unknown bottom) the model cannot know which item was
        // used: what was not certainly invalidated becomes unknown.
        if found.is_none() || tag == WILDCARD {
            let live_max = self.items.iter().filter(|it| it.perm != Perm::Disabled).map(|it| it.tag as u32 + 1).max().unwrap_or(1);
            self.forget(live_max.max(self.unknown_bottom));
        }
        Ok(())
    }

    /// Forgets every item: tags below `bound` may be anywhere in the stack.
    fn forget(&mut self, bound: u32) {
        self.forget_known();
        self.items.clear();
        self.sync_top();
        self.unique_end = 0;
        self.unknown_bottom = bound;
    }

    /// Removes (write) or disables (read) what an access granted at `granting` invalidates
    /// (everything we know of when the unknown bottom granted it).
    fn invalidate_above(
        &mut self,
        access: AccessKind,
        tag: Tag,
        granting: Option<usize>,
        protected: &dyn Fn(CallId) -> bool,
        removed: &mut Vec<Tag>,
    ) -> Result<(), SbError> {
        match access {
            AccessKind::Write => {
                let first = granting.map_or(0, |g| self.first_write_incompatible(g));
                for it in &self.items[first..] {
                    if it.protector != 0 && protected(it.protector) {
                        return Err(SbError::Protected { access, tag, victim: *it });
                    }
                }
                removed.extend(self.items[first..].iter().map(|it| it.tag));
                self.items.truncate(first);
                self.sync_top();
                self.forget_known_from(first);
                if self.unique_end as usize > first {
                    self.recompute_unique_end();
                }
            }
            AccessKind::Read => {
                // A read disables the `Unique` items above the granting one.
                let first = granting.map_or(0, |g| g + 1);
                if self.unique_end as usize <= first {
                    return Ok(());
                }
                for it in &self.items[first..] {
                    if it.perm == Perm::Unique && it.protector != 0 && protected(it.protector) {
                        return Err(SbError::Protected { access, tag, victim: *it });
                    }
                }
                for it in &mut self.items[first..] {
                    if it.perm == Perm::Unique {
                        it.perm = Perm::Disabled;
                        removed.push(it.tag);
                    }
                }
                self.forget_known_from(first);
                self.sync_top();
                self.recompute_unique_end();
            }
        }
        Ok(())
    }

    /// Adds `new`, derived from `parent`: a `SharedReadWrite` goes right above the parent's
    /// block without an access; other permissions first perform the access they grant
    /// with the parent tag and then go on top.
    /// `next_tag` is the first tag not handed out yet (the bound when a wildcard parent
    /// makes the stack unknown). Returns whether the only change was `new` going on top.
    #[allow(clippy::too_many_arguments)]
    pub fn grant(
        &mut self,
        parent: Tag,
        new: Item,
        protected: &dyn Fn(CallId) -> bool,
        exposed: &dyn Fn(Tag) -> bool,
        removed: &mut Vec<Tag>,
        hint: &mut Hint,
        next_tag: u32,
    ) -> Result<bool, SbError> {
        let access = if new.perm.grants(AccessKind::Write) { AccessKind::Write } else { AccessKind::Read };
        let at = if new.perm == Perm::SharedReadWrite {
            match (self.find_granting(access, parent, exposed, hint)?, parent) {
                (Some(granting), p) if p != WILDCARD => self.first_write_incompatible(granting),
                // From a wildcard or the unknown bottom nobody knows where the new item
                // belongs (it may join a group inside the unknown part): forget everything.
                _ => {
                    self.forget(next_tag);
                    return Ok(false);
                }
            }
        } else {
            // A read disabling items reports them in `removed`; a write or a forgetting
            // access shortens the stack.
            let before = (self.items.len(), removed.len());
            self.access(access, parent, protected, exposed, removed, hint)?;
            if (self.items.len(), removed.len()) != before {
                self.items.push(new);
                self.sync_top();
                self.recompute_unique_end();
                return Ok(false);
            }
            self.items.len()
        };
        let on_top = at == self.items.len();
        // The items from `at` up move one place.
        self.forget_known_from(at);
        self.items.insert(at, new);
        if on_top {
            (self.top_tag, self.top_perm) = (new.tag as u32, new.perm);
        }
        if new.perm == Perm::Unique || self.unique_end as usize > at {
            self.recompute_unique_end();
        }
        Ok(on_top)
    }

    /// Deallocation: like a write, and no item may be strongly protected.
    pub fn dealloc(&self, tag: Tag, protected: &dyn Fn(CallId) -> bool, exposed: &dyn Fn(Tag) -> bool) -> Result<(), SbError> {
        self.find_granting(AccessKind::Write, tag, exposed, &mut None)?;
        for it in &self.items {
            if it.protector != 0 && it.protector & WEAK_PROTECTOR == 0 && protected(it.protector) {
                return Err(SbError::Protected { access: AccessKind::Write, tag, victim: *it });
            }
        }
        Ok(())
    }

    /// Drops items whose tags are no longer held by any pointer (keeps the bottom item and
    /// items protected by a call still running).
    pub fn retain_live(&mut self, live: &impl Fn(Tag) -> bool, protected: &impl Fn(CallId) -> bool) {
        self.forget_known();
        let mut first = true;
        self.items.retain(|it| {
            let keep = first || (it.protector != 0 && protected(it.protector)) || live(it.tag);
            first = false;
            keep
        });
        self.sync_top();
        self.recompute_unique_end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: CallId) -> bool {
        false
    }

    fn item(tag: Tag, perm: Perm) -> Item {
        Item { tag, perm, protector: 0 }
    }

    /// A copy (a split run's) is the same stack, caches included, with room for the push
    /// that follows the split.
    #[test]
    fn a_copy_is_the_same_stack_with_room() {
        let mut s = Stack::new(item(1, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(1, item(2, Perm::SharedReadOnly), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        s.access(AccessKind::Read, 2, &none, &|_| false, &mut removed, &mut None).unwrap();
        let c = s.clone();
        assert_eq!(c, s);
        assert!(c.items.capacity() >= c.items.len() + CLONE_ROOM);
        assert_eq!(
            (c.top_tag, c.top_perm, c.known_tag, c.known_pos, c.unique_end),
            (s.top_tag, s.top_perm, s.known_tag, s.known_pos, s.unique_end)
        );
    }

    #[test]
    fn unique_reborrow_is_invalidated_by_parent_write() {
        let mut s = Stack::new(item(1, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(1, item(2, Perm::Unique), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        s.access(AccessKind::Write, 2, &none, &|_| false, &mut removed, &mut None).unwrap();
        s.access(AccessKind::Write, 1, &none, &|_| false, &mut removed, &mut None).unwrap();
        assert_eq!(removed, vec![2]);
        assert!(matches!(s.access(AccessKind::Read, 2, &none, &|_| false, &mut removed, &mut None), Err(SbError::NoGrant { tag: 2, .. })));
    }

    #[test]
    fn shared_read_only_does_not_grant_writes() {
        let mut s = Stack::new(item(1, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(1, item(2, Perm::SharedReadOnly), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        s.grant(2, item(3, Perm::SharedReadWrite), &none, &|_| false, &mut removed, &mut None, 100).unwrap_err();
        let e = s.access(AccessKind::Write, 2, &none, &|_| false, &mut removed, &mut None).unwrap_err();
        assert_eq!(e, SbError::NoGrant { access: AccessKind::Write, tag: 2, found: Some(Perm::SharedReadOnly) });
        s.access(AccessKind::Read, 2, &none, &|_| false, &mut removed, &mut None).unwrap();
    }

    #[test]
    fn raw_pointers_share_a_block_and_survive_each_others_writes() {
        let mut s = Stack::new(item(1, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(1, item(2, Perm::SharedReadWrite), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        s.grant(1, item(3, Perm::SharedReadWrite), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        s.access(AccessKind::Write, 2, &none, &|_| false, &mut removed, &mut None).unwrap();
        s.access(AccessKind::Write, 3, &none, &|_| false, &mut removed, &mut None).unwrap();
        assert!(removed.is_empty());
    }

    #[test]
    fn wildcard_accesses_need_an_exposed_tag_and_make_the_stack_unknown() {
        let mut s = Stack::new(item(0, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(0, item(1, Perm::SharedReadWrite), &none, &|_| false, &mut removed, &mut None, 10).unwrap();
        s.grant(1, item(2, Perm::Unique), &none, &|_| false, &mut removed, &mut None, 10).unwrap();
        let exposed = |t: Tag| t == 1;
        // Tag 1 is exposed: a wildcard write is granted by it and pops the Unique above.
        s.access(AccessKind::Write, WILDCARD, &none, &exposed, &mut removed, &mut None).unwrap();
        assert_eq!(removed, vec![2]);
        // The stack is unknown now: older tags may still be in it, newer ones are not.
        s.access(AccessKind::Read, 1, &none, &exposed, &mut removed, &mut None).unwrap();
        assert!(s.access(AccessKind::Read, 2, &none, &exposed, &mut removed, &mut None).is_err());
        // Without any exposed tag, a wildcard access is refused.
        let mut t = Stack::new(item(0, Perm::Unique));
        assert!(t.access(AccessKind::Read, WILDCARD, &none, &|_| false, &mut removed, &mut None).is_err());
    }

    /// The copies of the top and the cached granting item agree with `items`.
    fn assert_caches_agree(s: &Stack) {
        let top = s.items.last().map_or((0, Perm::Disabled), |it| (it.tag as u32, it.perm));
        assert_eq!((s.top_tag, s.top_perm), top, "top copy of {:?}", s.items);
        if s.known_pos != NO_KNOWN {
            let it = s.items[s.known_pos as usize];
            assert_eq!(it.tag, s.known_tag as Tag, "cached item of {:?}", s.items);
            assert_ne!(it.perm, Perm::Disabled, "cached item disabled in {:?}", s.items);
        }
    }

    #[test]
    fn caches_follow_every_change() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let perms = [Perm::Unique, Perm::SharedReadWrite, Perm::SharedReadOnly];
        for _ in 0..200 {
            let mut s = Stack::new(item(0, Perm::Unique));
            let mut tags: Vec<Tag> = vec![0];
            let mut removed = Vec::new();
            for _ in 0..60 {
                let tag = tags[(next() % tags.len() as u64) as usize];
                match next() % 4 {
                    0 | 1 => {
                        let new = item(tags.len() as Tag, perms[(next() % 3) as usize]);
                        if s.grant(tag, new, &none, &|_| false, &mut removed, &mut None, 1000).is_ok() {
                            tags.push(new.tag);
                        }
                    }
                    2 => {
                        let kind = if next() % 2 == 0 { AccessKind::Read } else { AccessKind::Write };
                        // The same access without the cache decides the same.
                        let mut reference = s.clone();
                        reference.forget_known();
                        let r = s.access(kind, tag, &none, &|_| false, &mut removed, &mut None);
                        let want = reference.access(kind, tag, &none, &|_| false, &mut Vec::new(), &mut None);
                        assert_eq!((r, &s.items), (want, &reference.items));
                    }
                    _ => {
                        let keep = next();
                        s.retain_live(&|t| keep >> (t % 64) & 1 == 1, &none);
                    }
                }
                assert_caches_agree(&s);
            }
        }
    }

    #[test]
    fn protected_items_cannot_be_popped() {
        let mut s = Stack::new(item(1, Perm::Unique));
        let mut removed = Vec::new();
        s.grant(1, Item { tag: 2, perm: Perm::Unique, protector: 7 }, &none, &|_| false, &mut removed, &mut None, 100).unwrap();
        let live = |c: CallId| c == 7;
        let e = s.access(AccessKind::Write, 1, &live, &|_| false, &mut removed, &mut None).unwrap_err();
        assert!(matches!(e, SbError::Protected { victim: Item { tag: 2, .. }, .. }));
        assert!(s.dealloc(2, &live, &|_| false).is_err());
    }
}
