//! Unit tests of the Stacked Borrows rules and of stacks with shared tops.

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

/// The stack's items, bottom first, shared top included.
fn all(s: &Stack) -> Vec<Item> {
    s.iter().copied().collect()
}

/// The copies of the top, the topmost `Unique` and the cached granting item agree with the
/// items.
fn assert_caches_agree(s: &Stack) {
    let items = all(s);
    let top = items.last().map_or((0, Perm::Disabled), |it| (it.tag, it.perm));
    assert_eq!((s.top_tag, s.top_perm), top, "top copy of {items:?}");
    let unique_end = items.iter().rposition(|it| it.perm == Perm::Unique).map_or(0, |i| i as u32 + 1);
    assert_eq!(s.unique_end, unique_end, "topmost Unique of {items:?}");
    if s.known_pos != NO_KNOWN {
        let it = items[s.known_pos as usize];
        assert_eq!(it.tag, s.known_tag, "cached item of {items:?}");
        assert_ne!(it.perm, Perm::Disabled, "cached item disabled in {items:?}");
    }
    assert!(s.shared.as_ref().is_none_or(|top| !top.is_empty()), "an empty shared top");
}

/// A deterministic pseudo-random sequence for the randomized tests.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[test]
fn caches_follow_every_change() {
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
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
                    let kind = if next().is_multiple_of(2) { AccessKind::Read } else { AccessKind::Write };
                    // The same access without the cache decides the same.
                    let mut reference = s.clone();
                    reference.forget_known();
                    let r = s.access(kind, tag, &none, &|_| false, &mut removed, &mut None);
                    let want = reference.access(kind, tag, &none, &|_| false, &mut Vec::new(), &mut None);
                    assert_eq!((r, all(&s)), (want, all(&reference)));
                }
                _ => {
                    let keep = next();
                    s.retain_live(&|t| keep >> (t % 64) & 1 == 1, &none, &mut RetainMemo::default());
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

/// Stacks of neighbouring runs with shared tops decide and hold exactly what stacks without
/// sharing do: random retags over ranges of runs (through `TopMemo`), accesses to single
/// runs, collections (through `RetainMemo`), on twins that never share.
#[test]
fn shared_tops_change_nothing_but_the_representation() {
    let mut next = xorshift(0x2545_f491_4f6c_dd1d);
    let perms = [Perm::Unique, Perm::SharedReadWrite, Perm::SharedReadOnly];
    let protected = |c: CallId| c == 3;
    let mut shared_pushes = 0;
    for _ in 0..300 {
        const RUNS: usize = 8;
        let base = Stack::new(item(0, Perm::Unique));
        let mut runs: Vec<Stack> = (0..RUNS).map(|_| base.clone()).collect();
        let mut twins: Vec<Stack> = (0..RUNS).map(|_| base.clone()).collect();
        let mut tags: Vec<Tag> = vec![0];
        for _ in 0..80 {
            let parent = tags[(next() % tags.len() as u64) as usize];
            let from = (next() % RUNS as u64) as usize;
            let to = from + 1 + (next() % (RUNS - from) as u64) as usize;
            match next() % 5 {
                0..=2 => {
                    let protector = if next().is_multiple_of(8) { 3 } else { 0 };
                    let new = Item { tag: tags.len() as Tag, perm: perms[(next() % 3) as usize], protector };
                    let mut memo = TopMemo::default();
                    let (mut got, mut want) = (Vec::new(), Vec::new());
                    for (s, t) in runs[from..to].iter_mut().zip(&mut twins[from..to]) {
                        let r = if s.try_push_shared(parent, new, &mut memo) {
                            shared_pushes += 1;
                            Ok(true)
                        } else {
                            s.grant(parent, new, &protected, &|_| false, &mut got, &mut None, 1000)
                        };
                        let w = t.grant(parent, new, &protected, &|_| false, &mut want, &mut None, 1000);
                        assert_eq!(r.is_ok(), w.is_ok(), "grant of {new:?} from {parent} to {:?}", all(t));
                        if r.is_err() {
                            break;
                        }
                    }
                    assert_eq!(got, want);
                    tags.push(new.tag);
                }
                3 => {
                    let kind = if next().is_multiple_of(2) { AccessKind::Read } else { AccessKind::Write };
                    let (s, t) = (&mut runs[from], &mut twins[from]);
                    let (mut got, mut want) = (Vec::new(), Vec::new());
                    let r = s.access(kind, parent, &protected, &|_| false, &mut got, &mut None);
                    let w = t.access(kind, parent, &protected, &|_| false, &mut want, &mut None);
                    assert_eq!((r, got), (w, want));
                }
                _ => {
                    let keep = next();
                    let live = |t: Tag| keep >> (t % 64) & 1 == 1;
                    let mut memo = RetainMemo::default();
                    for (s, t) in runs.iter_mut().zip(&mut twins) {
                        s.retain_live(&live, &protected, &mut memo);
                        t.retain_live(&live, &protected, &mut RetainMemo::default());
                    }
                }
            }
            for (i, (s, t)) in runs.iter().zip(&twins).enumerate() {
                assert_eq!(all(s), all(t), "run {i}");
                assert!(s == t, "run {i} compares equal to its twin");
                assert_caches_agree(s);
                assert!(t.shared.is_none());
            }
            // Neighbours compare as their items do, shared or not.
            for w in runs.windows(2) {
                assert_eq!(w[0] == w[1], all(&w[0]) == all(&w[1]));
            }
        }
    }
    assert!(shared_pushes > 1000, "the shared path was taken {shared_pushes} times");
}

/// A read through a tag below a `Unique` item disables it but keeps the read-only item
/// above it; `may_be_unique` tells which tags' items are `Unique`.
#[test]
fn a_read_below_a_unique_item_keeps_the_shared_item_above_it() {
    let mut s = Stack::new(item(1, Perm::SharedReadWrite));
    let mut removed = Vec::new();
    s.grant(1, item(2, Perm::Unique), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
    s.grant(2, item(3, Perm::SharedReadOnly), &none, &|_| false, &mut removed, &mut None, 100).unwrap();
    assert!(s.may_be_unique(2) && !s.may_be_unique(3) && !s.may_be_unique(1) && !s.may_be_unique(9));
    s.access(AccessKind::Read, 1, &none, &|_| false, &mut removed, &mut None).unwrap();
    assert!(s.access(AccessKind::Read, 3, &none, &|_| false, &mut removed, &mut None).is_ok());
    assert!(s.access(AccessKind::Read, 2, &none, &|_| false, &mut removed, &mut None).is_err());
    // With no `Unique` item left, nothing may be.
    assert!(!s.may_be_unique(2));
    let top = Stack::new(item(4, Perm::Unique));
    assert!(top.may_be_unique(4));
}
