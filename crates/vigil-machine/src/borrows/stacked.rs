//! Stacked Borrows: a stack of permission items per byte, the access rules that pop them
//! and the reborrow rules that push them.

use std::rc::Rc;

use super::item_vec::ItemVec;

/// A pointer's borrow tag (0: the allocation's base tag); 32 bits, as in pointers (`Prov::tag`).
pub type Tag = u32;
/// The tag of a pointer made from an exposed address: it may be any of the allocation's
/// exposed tags (the same value as `Prov::WILDCARD_TAG`).
pub const WILDCARD: Tag = u32::MAX;
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

    /// The access a reborrow to this permission makes with its parent's tag.
    pub fn reborrow_access(self) -> AccessKind {
        if self.grants(AccessKind::Write) { AccessKind::Write } else { AccessKind::Read }
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

/// Whether `protector` is a strong protector of a running call (`protected` says which
/// calls run): what deallocation may not remove.
pub fn strongly_protected(protector: CallId, protected: &dyn Fn(CallId) -> bool) -> bool {
    protector != 0 && protector & WEAK_PROTECTOR == 0 && protected(protector)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub tag: Tag,
    pub perm: Perm,
    pub protector: CallId,
}

// Stacks are cloned when a range is split, compared when runs merge and searched by grants:
// keep items small (a 32-bit tag makes them 16 bytes; 24 with a 64-bit one).
const _: () = assert!(std::mem::size_of::<Item>() <= 16);
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

/// The borrow stack of one location (bottom first): its own items, then the items of its
/// shared top.
///
/// A retag over a range of many runs pushes the same item onto each of them. Instead of
/// writing it into every run's own vector (a cache miss per run when there are thousands),
/// it goes into a `SharedTop` that all those runs point at: runs that had the same shared top
/// before get the same new one (`TopMemo`). Only a retag whose push leaves the rest of the
/// stack as it is, decided from the caches below, takes that path; every other change first
/// moves the shared items into the stack's own (`own_top`), so the rules below work on one
/// vector as if nothing were shared.
#[derive(Debug)]
pub struct Stack {
    items: ItemVec,
    /// The items above `items`, shared with other runs (never empty when present).
    shared: Option<SharedTop>,
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
    known_tag: Tag,
    known_pos: u32,
    /// A copy of the top item's tag and permission (`Disabled` when the stack is empty),
    /// so that the commonest check, "is the tag on top", needs no load from `items`
    /// either. Kept by `sync_top` after every change to `items`.
    top_tag: Tag,
    top_perm: Perm,
}

const NO_KNOWN: u32 = u32::MAX;

/// Items on top of several stacks, pushed by retags over ranges (bottom first).
pub type SharedTop = Rc<Vec<Item>>;

/// The shared tops one retag over many runs made: neighbouring runs usually had the same top
/// before it, so they get the same new one. Holds the old top too, so that its address cannot
/// be reused for another top while the retag runs.
#[derive(Default)]
pub struct TopMemo {
    last: Option<(Option<SharedTop>, SharedTop)>,
    /// Where the retag's parent lies in the last shared top searched, if there with nothing
    /// above it that the retag's access would change.
    parent_in: Option<(SharedTop, Option<usize>)>,
}

/// What one collection of dead tags made of each shared top it met (`None`: nothing left).
#[derive(Default)]
pub struct RetainMemo {
    last: Option<(SharedTop, Option<SharedTop>)>,
}

/// Room a copy of a stack keeps for pushes (a copy is made when a range-map run splits,
/// and the retag that split it pushes onto it at once: without the room, that push
/// reallocates and copies the whole stack again).
const CLONE_ROOM: usize = 4;

thread_local! {
    /// Items copied when runs split and passed over by searches since the last collection
    /// of dead tags: the work that deep stacks cost, which a collection may save
    /// (`SbState::gc_due`).
    static STACK_WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` items of work (copied or searched) toward the next collection.
#[inline]
fn add_work(n: usize) {
    STACK_WORK.with(|w| w.set(w.get() + n as u64));
}

/// The stack work since the last call, which starts counting again.
pub fn take_work() -> u64 {
    STACK_WORK.with(|w| w.replace(0))
}

/// The stack work counted so far.
#[inline]
pub fn work() -> u64 {
    STACK_WORK.with(|w| w.get())
}

impl Clone for Stack {
    fn clone(&self) -> Stack {
        add_work(self.items.len());
        let mut items = ItemVec::with_capacity(self.items.len() + CLONE_ROOM);
        items.extend_from_slice(&self.items);
        Stack {
            items,
            shared: self.shared.clone(),
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
/// them; the cache is not part of the value; how much of them is shared does not matter), so
/// equal neighbouring runs still merge.
impl PartialEq for Stack {
    fn eq(&self, other: &Stack) -> bool {
        // Neighbouring runs usually differ in their top (a retag pushed onto one of them):
        // the copy of the top item decides that without loading the items.
        if (self.top_tag, self.top_perm) != (other.top_tag, other.top_perm) || self.unknown_bottom != other.unknown_bottom {
            return false;
        }
        if same_top(&self.shared, &other.shared) {
            return self.items[..] == other.items[..];
        }
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Stack {}

/// Where `parent`'s item lies in a shared top, if it grants `access` there with nothing above
/// it that the access would change; remembered in `memo` for the runs sharing the top.
#[inline(never)]
fn search_top(top: &SharedTop, access: AccessKind, parent: Tag, memo: &mut TopMemo) -> Option<usize> {
    let at = top.iter().rposition(|it| it.tag == parent).filter(|&j| {
        let it = top[j];
        let above = &top[j + 1..];
        it.perm.grants(access)
            && match access {
                AccessKind::Read => true,
                AccessKind::Write => {
                    above.is_empty() || (it.perm == Perm::SharedReadWrite && above.iter().all(|a| a.perm == Perm::SharedReadWrite))
                }
            }
    });
    memo.parent_in = Some((top.clone(), at));
    at
}

/// Whether two stacks' shared tops are the same one (or both absent).
fn same_top(a: &Option<SharedTop>, b: &Option<SharedTop>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

/// Where the previous stack of the same operation found its granting item, counted from
/// the top. Neighbouring locations usually share the top of their stacks (a retag over a
/// range pushes the same item everywhere), so trying that position first makes an
/// operation over many locations cost O(1) per location instead of a search each.
pub type Hint = Option<usize>;

impl Stack {
    pub fn new(base: Item) -> Stack {
        let unique_end = (base.perm == Perm::Unique) as u32;
        let mut items = ItemVec::with_capacity(1);
        items.push(base);
        Stack {
            items,
            shared: None,
            unique_end,
            unknown_bottom: 0,
            known_tag: 0,
            known_pos: NO_KNOWN,
            top_tag: base.tag,
            top_perm: base.perm,
        }
    }

    /// Makes this stack what `Stack::new(base)` builds, keeping its own vector's memory.
    pub fn reset(&mut self, base: Item) {
        self.items.clear();
        self.items.push(base);
        *self = Stack {
            items: std::mem::replace(&mut self.items, ItemVec::with_capacity(0)),
            shared: None,
            unique_end: (base.perm == Perm::Unique) as u32,
            unknown_bottom: 0,
            known_tag: 0,
            known_pos: NO_KNOWN,
            top_tag: base.tag,
            top_perm: base.perm,
        };
    }

    /// How many items the stack's own vector has room for.
    pub fn capacity(&self) -> usize {
        self.items.capacity()
    }

    /// The items, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().chain(self.shared.iter().flat_map(|top| top.iter()))
    }

    /// How many items the stack holds.
    #[allow(clippy::len_without_is_empty)] // (never empty but after a wildcard access)
    pub fn len(&self) -> usize {
        self.items.len() + self.shared.as_ref().map_or(0, |top| top.len())
    }

    /// Moves the shared top's items into the stack's own, before a change other than a push
    /// onto the top. Positions (`known_pos`, `unique_end`) count from the bottom, so they
    /// stay as they are.
    #[inline]
    fn own_top(&mut self) {
        if let Some(top) = self.shared.take() {
            self.items.extend_from_slice(&top);
        }
    }

    /// Copies the top item into `top_tag`/`top_perm` (after a change to the items).
    #[inline]
    fn sync_top(&mut self) {
        let top = match &self.shared {
            Some(shared) => shared.last(),
            None => self.items.last(),
        };
        (self.top_tag, self.top_perm) = top.map_or((0, Perm::Disabled), |it| (it.tag, it.perm));
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
        if tag < NO_KNOWN && tag != WILDCARD {
            (self.known_tag, self.known_pos) = (tag, i as u32);
        }
    }

    /// Whether a read through `tag` is known to change nothing: `tag`'s item is the cached
    /// one and no `Unique` item is above it.
    #[inline]
    fn read_is_known_noop(&self, tag: Tag) -> bool {
        self.known_pos != NO_KNOWN && self.known_tag == tag && self.unique_end <= self.known_pos + 1
    }

    fn recompute_unique_end(&mut self) {
        let above = self.shared.as_ref().and_then(|top| top.iter().rposition(|it| it.perm == Perm::Unique));
        self.unique_end = match above {
            Some(i) => (self.items.len() + i) as u32 + 1,
            None => self.items.iter().rposition(|it| it.perm == Perm::Unique).map_or(0, |i| i as u32 + 1),
        };
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
        debug_assert!(self.shared.is_none(), "searching a stack whose top is shared");
        if tag == WILDCARD {
            return match self.items.iter().rposition(|it| it.perm.grants(access) && exposed(it.tag)) {
                Some(i) => Ok(Some(i)),
                None if self.unknown_bottom != 0 => Ok(None),
                None => Err(SbError::NoGrant { access, tag, found: None }),
            };
        }
        match self.find_concrete(access, tag, hint) {
            Ok(i) => Ok(Some(i)),
            Err(_) if tag < self.unknown_bottom => Ok(None),
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
                add_work(self.items.len() - 1 - i);
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

    /// Whether `tag`'s item here may be `Unique`: a read through another pointer below it
    /// would then disable it but keep the items above it (as Stacked Borrows reads do), so a
    /// reference derived from it outlives it. Decided at once when the stack holds no
    /// `Unique` item or the tag is on top; else by searching down from the topmost `Unique`.
    pub fn may_be_unique(&self, tag: Tag) -> bool {
        if self.unique_end == 0 {
            return false;
        }
        if self.top_tag == tag {
            return self.top_perm == Perm::Unique;
        }
        // (Items above the topmost `Unique` are not `Unique`.)
        let upto = self.unique_end as usize;
        self.iter().take(upto).any(|it| it.tag == tag && it.perm == Perm::Unique)
    }

    /// Whether an access with `tag` would leave the stack unchanged (the tag is on top and
    /// grants it), so it needs no further work.
    #[inline]
    pub fn access_is_noop(&self, access: AccessKind, tag: Tag) -> bool {
        self.top_tag == tag && self.top_perm.grants(access)
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
        self.own_top();
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
            let live_max = self.items.iter().filter(|it| it.perm != Perm::Disabled).map(|it| it.tag + 1).max().unwrap_or(1);
            self.forget(live_max.max(self.unknown_bottom));
        }
        Ok(())
    }

    /// Forgets every item: tags below `bound` may be anywhere in the stack.
    fn forget(&mut self, bound: u32) {
        self.shared = None;
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
        let access = new.perm.reborrow_access();
        self.own_top();
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
            (self.top_tag, self.top_perm) = (new.tag, new.perm);
        }
        if new.perm == Perm::Unique || self.unique_end as usize > at {
            self.recompute_unique_end();
        }
        Ok(on_top)
    }

    /// For a retag over many runs: when granting `new` derived from `parent` would only put
    /// it on top, puts it onto a shared top (`memo`: the ones this retag made) and returns
    /// true; otherwise changes nothing and returns false (the retag then calls `grant`).
    #[inline]
    pub fn try_push_shared(&mut self, parent: Tag, new: Item, memo: &mut TopMemo) -> bool {
        let access = new.perm.reborrow_access();
        if !(self.push_changes_nothing_else(access, parent, new.perm) || self.parent_plain_in_top(access, parent, memo)) {
            return false;
        }
        self.push_shared(new, memo);
        true
    }

    /// Puts `new` on top through a shared top, made once for all the runs of one push that
    /// had the same shared top before it (`memo`), for a push that changes nothing else.
    #[inline]
    pub fn push_shared(&mut self, new: Item, memo: &mut TopMemo) {
        let top = match &memo.last {
            Some((old, made)) if same_top(old, &self.shared) => made.clone(),
            _ => self.new_shared_top(new, memo),
        };
        // Nothing below moves: the cached granting item stays where it is.
        self.shared = Some(top);
        (self.top_tag, self.top_perm) = (new.tag, new.perm);
        if new.perm == Perm::Unique {
            self.unique_end = self.len() as u32;
        }
    }

    /// Puts `new` on top, for a retag whose push changes nothing else
    /// (`push_changes_nothing_else` said so).
    #[inline]
    pub fn push_top(&mut self, new: Item) {
        self.own_top();
        self.items.push(new);
        (self.top_tag, self.top_perm) = (new.tag, new.perm);
        if new.perm == Perm::Unique {
            self.unique_end = self.items.len() as u32;
        }
    }

    /// The shared top made of this stack's and `new`, remembered for the runs that share
    /// this stack's.
    #[inline(never)]
    fn new_shared_top(&self, new: Item, memo: &mut TopMemo) -> SharedTop {
        let old = self.shared.as_deref().map_or(&[][..], |top| &top[..]);
        let mut items = Vec::with_capacity(old.len() + 1);
        items.extend_from_slice(old);
        items.push(new);
        let made = Rc::new(items);
        memo.last = Some((self.shared.clone(), made.clone()));
        made
    }

    /// Whether granting `new` derived from `parent` only puts it on top, as the caches alone
    /// tell: a `SharedReadWrite` goes above the parent's block, which is the top when the
    /// parent is on top and grants writes; other permissions go on top after an access with
    /// the parent that changes nothing.
    #[inline]
    pub fn push_changes_nothing_else(&self, access: AccessKind, parent: Tag, perm: Perm) -> bool {
        if parent == WILDCARD {
            return false;
        }
        if perm == Perm::SharedReadWrite {
            return self.top_tag == parent && self.top_perm.grants(AccessKind::Write);
        }
        (access == AccessKind::Read && self.read_is_known_noop(parent)) || self.access_is_noop(access, parent)
    }

    /// Whether a read through `parent` changes nothing: an item of `parent` that grants
    /// reads, with no `Unique` item above the topmost such item. Decided from the caches when
    /// they can, else by searching down from the top, no further than the topmost `Unique`
    /// (the search counts as stack work).
    pub fn read_changes_nothing(&self, parent: Tag) -> bool {
        if parent == WILDCARD {
            return false;
        }
        if self.push_changes_nothing_else(AccessKind::Read, parent, Perm::SharedReadOnly) {
            return true;
        }
        // The granting item must lie at or above the topmost `Unique`.
        let from = (self.unique_end as usize).saturating_sub(1);
        let own = self.items.len();
        let top = self.shared.as_deref().map_or(&[][..], |t| &t[..]);
        let grants = |it: &Item| it.tag == parent && it.perm != Perm::Disabled;
        let (mut p, mut searched) = (own + top.len(), 0);
        let found = loop {
            if p == 0 || p <= from {
                break false;
            }
            p -= 1;
            searched += 1;
            let it = if p >= own { &top[p - own] } else { &self.items[p] };
            if grants(it) {
                break true;
            }
        };
        add_work(searched);
        found
    }

    /// The items as two slices, own then shared (bottom first).
    #[inline]
    fn parts(&self) -> (&[Item], &[Item]) {
        (&self.items, self.shared.as_deref().map_or(&[][..], |t| &t[..]))
    }

    /// Where a write through `parent` would start removing items (`first_write_incompatible`
    /// of its granting item), if it finds one and no item from there up is protected by a
    /// running call: that write then only truncates the stack there. `None` for anything
    /// else (no granting item, a wildcard, an unknown bottom, a protected victim).
    pub fn write_truncation_point(&self, parent: Tag, protected: &dyn Fn(CallId) -> bool) -> Option<usize> {
        if parent == WILDCARD || self.unknown_bottom != 0 {
            return None;
        }
        let (own, top) = self.parts();
        let at = |i: usize| if i < own.len() { own[i] } else { top[i - own.len()] };
        let grants = |it: &Item| it.tag == parent && it.perm.grants(AccessKind::Write);
        let g = match top.iter().rposition(grants) {
            Some(j) => own.len() + j,
            None => own.iter().rposition(grants)?,
        };
        let len = own.len() + top.len();
        let mut first = g + 1;
        if at(g).perm == Perm::SharedReadWrite {
            while first < len && at(first).perm == Perm::SharedReadWrite {
                first += 1;
            }
        }
        add_work(len - g);
        let victim = |it: &Item| it.protector != 0 && protected(it.protector);
        let no_victim = if first >= own.len() {
            !top[first - own.len()..].iter().any(victim)
        } else {
            !own[first..].iter().any(victim) && !top.iter().any(victim)
        };
        no_victim.then_some(first)
    }

    /// Whether the first `n` items of both stacks are the same.
    pub fn same_bottom(&self, other: &Stack, n: usize) -> bool {
        let (a, b) = (self.parts(), other.parts());
        if a.0.len() + a.1.len() < n || b.0.len() + b.1.len() < n {
            return false;
        }
        a.0.iter().chain(a.1).take(n).eq(b.0.iter().chain(b.1).take(n))
    }

    /// Adds the tags from item `first` up to `out`.
    pub fn tags_from(&self, first: usize, out: &mut Vec<Tag>) {
        let (own, top) = self.parts();
        if first >= own.len() {
            out.extend(top[first - own.len()..].iter().map(|it| it.tag));
        } else {
            out.extend(own[first..].iter().chain(top).map(|it| it.tag));
        }
    }

    /// Removes the items from `first` up (a write found nothing protected there:
    /// `write_truncation_point`) and pushes `new`.
    pub fn truncate_and_push(&mut self, first: usize, new: Item) {
        self.own_top();
        self.items.truncate(first);
        self.sync_top();
        self.forget_known_from(first);
        if self.unique_end as usize > first {
            self.recompute_unique_end();
        }
        self.push_top(new);
    }

    /// Whether the parent's item lies in the shared top, where granting from it only puts the
    /// new item on top: it grants the access, and above it nothing a write would remove
    /// (only its block of `SharedReadWrite` items) or no `Unique` item a read would disable.
    /// The search is made once per shared top within a retag (`memo`); runs sharing the top
    /// then decide from their own caches.
    #[inline]
    fn parent_plain_in_top(&self, access: AccessKind, parent: Tag, memo: &mut TopMemo) -> bool {
        let Some(top) = &self.shared else { return false };
        let at = match &memo.parent_in {
            Some((searched, at)) if Rc::ptr_eq(searched, top) => *at,
            _ => search_top(top, access, parent, memo),
        };
        match (at, access) {
            (None, _) => false,
            (Some(_), AccessKind::Write) => true,
            // No `Unique` item above the parent's.
            (Some(j), AccessKind::Read) => self.unique_end as usize <= self.items.len() + j + 1,
        }
    }

    /// Deallocation: like a write, and no item may be strongly protected.
    pub fn dealloc(&mut self, tag: Tag, protected: &dyn Fn(CallId) -> bool, exposed: &dyn Fn(Tag) -> bool) -> Result<(), SbError> {
        self.own_top();
        self.find_granting(AccessKind::Write, tag, exposed, &mut None)?;
        for it in self.items.iter() {
            if strongly_protected(it.protector, protected) {
                return Err(SbError::Protected { access: AccessKind::Write, tag, victim: *it });
            }
        }
        Ok(())
    }

    /// Drops items whose tags are no longer held by any pointer (keeps the bottom item and
    /// items protected by a call still running). A shared top is filtered once per
    /// collection (`memo`), and stays shared.
    pub fn retain_live(&mut self, live: &impl Fn(Tag) -> bool, protected: &impl Fn(CallId) -> bool, memo: &mut RetainMemo) {
        self.forget_known();
        if self.items.is_empty() {
            // The bottom item to keep is the shared top's first.
            self.own_top();
        }
        let keep = |it: &Item| (it.protector != 0 && protected(it.protector)) || live(it.tag);
        let mut first = true;
        self.items.retain(|it| {
            let kept = first || keep(it);
            first = false;
            kept
        });
        if let Some(top) = self.shared.take() {
            self.shared = match &memo.last {
                Some((old, made)) if Rc::ptr_eq(old, &top) => made.clone(),
                _ => {
                    let made = if top.iter().all(keep) {
                        // Nothing to drop: the top stays as it is, shared as before.
                        Some(top.clone())
                    } else {
                        let kept: Vec<Item> = top.iter().copied().filter(keep).collect();
                        (!kept.is_empty()).then(|| Rc::new(kept))
                    };
                    memo.last = Some((top, made.clone()));
                    made
                }
            };
        }
        self.sync_top();
        self.recompute_unique_end();
    }
}

#[cfg(test)]
#[path = "stacked_tests.rs"]
pub(super) mod tests;
