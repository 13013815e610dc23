//! Unit tests of Tree Borrows' transitions, protectors, collection and reports.

use super::*;

fn none(_: CallId) -> bool {
    false
}
const SITE: Site = (FnId(0), SpanId(0));
const RES: TbPerm = TbPerm::Reserved { conflicted: false };

/// A new unprotected tag `tag` below `parent` with `perm` on every byte, its pointee
/// `[0, size)` read through the parent as a reborrow does.
fn child(t: &mut TbAlloc, parent: u32, tag: u32, size: u64, perm: TbPerm) {
    t.reborrow(Some(parent), tag, 0, &[(0, size, perm)], perm, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
}

/// The tags a randomized test holds, each with the call protecting it (0: none), and the
/// calls still running, which end in any order.
pub(super) struct HeldTags {
    pub(super) tags: Vec<(u32, CallId)>,
    pub(super) live: Vec<CallId>,
}

impl HeldTags {
    /// The root's tag alone.
    pub(super) fn new() -> HeldTags {
        HeldTags { tags: vec![(0, 0)], live: Vec::new() }
    }

    /// A held tag, drawn with `next`.
    pub(super) fn pick(&self, next: &mut impl FnMut(u64) -> u64) -> u32 {
        self.tags[next(self.tags.len() as u64) as usize].0
    }

    /// A tag a reborrow made, protected by `call` (0: none).
    pub(super) fn made(&mut self, tag: u32, call: CallId) {
        self.tags.push((tag, call));
        if call != 0 {
            self.live.push(call);
        }
    }

    /// Ends a running call drawn with `next`; returns the tag it protected.
    pub(super) fn end_call(&mut self, next: &mut impl FnMut(u64) -> u64) -> u32 {
        let call = self.live.remove(next(self.live.len() as u64) as usize);
        self.tags.iter().find(|t| t.1 == call).unwrap().0
    }

    /// Which calls protect now.
    pub(super) fn protected(&self) -> impl Fn(CallId) -> bool + use<> {
        let live = self.live.clone();
        move |c: CallId| live.contains(&c)
    }
}

fn access(t: &mut TbAlloc, tag: u32, off: u64, size: u64, kind: AccessKind) -> Result<(), TbError> {
    t.access(tag, off, size, Access { kind, cause: Cause::Access, protected: &none, site: SITE })
}

#[test]
fn frozen_children_forbid_writes_and_parent_writes_disable_them() {
    let mut t = TbAlloc::new(4);
    child(&mut t, 0, 1, 4, TbPerm::Frozen);
    assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_ok());
    assert!(access(&mut t, 1, 0, 4, AccessKind::Write).is_err());
    access(&mut t, 0, 0, 4, AccessKind::Write).ok().unwrap();
    let e = access(&mut t, 1, 0, 4, AccessKind::Read).expect_err("disabled by the parent's write");
    assert!(e.details.iter().any(|d| d.contains("has state Disabled")));
    assert!(e.history.iter().any(|h| h.0.contains("later transitioned to Disabled due to a foreign write access")));
}

#[test]
fn reserved_becomes_unique_on_write_and_tolerates_foreign_reads() {
    let mut t = TbAlloc::new(4);
    child(&mut t, 0, 1, 4, RES);
    access(&mut t, 0, 0, 4, AccessKind::Read).ok().unwrap();
    access(&mut t, 1, 0, 4, AccessKind::Write).ok().unwrap();
    access(&mut t, 0, 0, 4, AccessKind::Read).ok().unwrap();
    assert!(access(&mut t, 1, 0, 4, AccessKind::Write).is_err(), "frozen by the foreign read");
}

#[test]
fn bytes_are_independent() {
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, RES);
    child(&mut t, 0, 2, 8, RES);
    access(&mut t, 1, 0, 4, AccessKind::Write).ok().unwrap();
    access(&mut t, 2, 4, 4, AccessKind::Write).ok().unwrap();
    assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_ok());
    assert!(access(&mut t, 1, 4, 4, AccessKind::Read).is_err());
}

#[test]
fn protected_tags_may_not_be_disabled_where_accessed() {
    let live = |c: CallId| c == 7;
    let mut t = TbAlloc::new(8);
    t.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    // Bytes 4..8 are outside the reborrow: not accessed, so no protector violation.
    t.access(0, 4, 4, Access { kind: AccessKind::Write, cause: Cause::Access, protected: &live, site: SITE }).ok().unwrap();
    let e = t.access(0, 0, 4, Access { kind: AccessKind::Write, cause: Cause::Access, protected: &live, site: SITE }).err().unwrap();
    assert!(e.details.iter().any(|d| d == "protected tags must never be Disabled"));
    // Strong protectors forbid deallocation, weak ones do not.
    let mut t = TbAlloc::new(4);
    t.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    let e = t.dealloc(Some(1), &live, SITE).err().unwrap();
    assert!(e.history.iter().any(|h| h.0 == "the strongly protected tag <1> was created here, in the initial state Reserved"));
    let mut t = TbAlloc::new(4);
    t.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 7, true, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    assert!(t.dealloc(Some(1), &live, SITE).is_ok());
}

#[test]
fn deallocation_counts_its_own_write_as_accessing_the_path() {
    // Tag 1 is strongly protected, `Cell` over bytes 0..4 of 8, and has not touched 4..8; the
    // deallocation through its child 2 writes all 8 bytes, so 1 guards them: UB, whether
    // the write is applied or only checked.
    let live = |c: CallId| c == 7;
    let outside_only = |t: &mut TbAlloc| {
        t.reborrow(Some(0), 1, 0, &[(0, 4, TbPerm::Cell)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
        t.reborrow(Some(1), 2, 4, &[(0, 4, TbPerm::Cell)], TbPerm::Cell, 0, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    };
    let mut t = TbAlloc::new(8);
    outside_only(&mut t);
    let e = t.dealloc(Some(2), &live, SITE).err().unwrap();
    assert!(e.details.iter().any(|d| d == "the strongly protected tag <1> disallows deallocations"));
    // A foreign tag's untouched bytes stay unguarded: deallocating through the root while a
    // protected tag has accessed nothing but `Cell` bytes is allowed.
    let mut t = TbAlloc::new(8);
    t.reborrow(Some(0), 1, 0, &[(0, 8, TbPerm::Cell)], TbPerm::Cell, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    assert!(t.dealloc(Some(0), &live, SITE).is_ok());
}

#[test]
fn conflicted_reserved_cannot_be_written_while_protected() {
    let live = |c: CallId| c == 7;
    let mut t = TbAlloc::new(4);
    t.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    t.reborrow(Some(0), 2, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    let e = t.access(1, 0, 4, Access { kind: AccessKind::Write, cause: Cause::Access, protected: &live, site: SITE }).err().unwrap();
    assert!(e.details.iter().any(|d| d.contains("Reserved (conflicted)")));
}

#[test]
fn protector_release_writes_for_unique_tags_but_spares_descendants() {
    let live = |c: CallId| c == 7;
    let mut t = TbAlloc::new(4);
    child(&mut t, 0, 1, 4, RES);
    t.reborrow(Some(0), 2, 0, &[(0, 4, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    t.access(2, 0, 4, Access { kind: AccessKind::Write, cause: Cause::Access, protected: &live, site: SITE }).ok().unwrap();
    t.reborrow(Some(2), 3, 0, &[(0, 4, RES)], RES, 0, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    t.release_protector(2, &live, SITE).ok().unwrap();
    // The sibling saw a foreign write; the child of the protected tag is untouched.
    assert!(access(&mut t, 1, 0, 4, AccessKind::Read).is_err());
    assert!(access(&mut t, 3, 0, 4, AccessKind::Write).is_ok());
}

#[test]
fn dead_chains_of_shared_references_collapse() {
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, RES);
    // `v = &v[1..]` in a loop: each shared reference is derived from the previous one.
    for tag in 2..=50 {
        child(&mut t, tag - 1, tag, 8, TbPerm::Frozen);
    }
    t.retain_live(&|tag| tag == 1 || tag == 50, &none);
    assert_eq!(t.node_count(), 3, "root, 1 and 50: the frozen chain between them is redundant");
    assert!(access(&mut t, 50, 0, 8, AccessKind::Read).is_ok());
    assert!(access(&mut t, 50, 0, 8, AccessKind::Write).is_err());
    access(&mut t, 1, 0, 8, AccessKind::Write).ok().unwrap();
    assert!(access(&mut t, 50, 0, 8, AccessKind::Read).is_err(), "a write through the ancestor still disables it");
}

#[test]
fn dead_chains_of_mutable_references_collapse() {
    // `v = &mut v[..]` in a loop: a chain of `Reserved` nodes, then written (`Unique`).
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, RES);
    for tag in 2..=20 {
        child(&mut t, tag - 1, tag, 8, RES);
    }
    t.retain_live(&|tag| tag == 20, &none);
    assert_eq!(t.node_count(), 2, "root and 20: a dead Reserved parent of a Reserved child is redundant");
    assert!(access(&mut t, 20, 0, 8, AccessKind::Write).is_ok());
    for tag in 21..=30 {
        child(&mut t, tag - 1, tag, 8, RES);
        access(&mut t, tag, 0, 8, AccessKind::Write).ok().unwrap();
    }
    t.retain_live(&|tag| tag == 30, &none);
    assert_eq!(t.node_count(), 2, "root and 30: a dead Unique parent of a Unique child is redundant");
    // A foreign read freezes the survivor as it would have frozen the chain.
    access(&mut t, 0, 0, 8, AccessKind::Read).ok().unwrap();
    assert!(access(&mut t, 30, 0, 8, AccessKind::Read).is_ok());
    assert!(access(&mut t, 30, 0, 8, AccessKind::Write).is_err());
}

#[test]
fn a_written_parent_of_a_reserved_child_stays() {
    // A foreign read freezes the written parent but leaves its Reserved child writable:
    // the child's write must still be refused by the parent.
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, RES);
    access(&mut t, 1, 0, 8, AccessKind::Write).ok().unwrap();
    child(&mut t, 1, 2, 8, RES);
    t.retain_live(&|tag| tag == 2, &none);
    assert_eq!(t.node_count(), 3, "root, 1 (Unique above Reserved) and 2");
    access(&mut t, 0, 0, 8, AccessKind::Read).ok().unwrap();
    assert!(access(&mut t, 2, 0, 8, AccessKind::Write).is_err(), "refused by the frozen parent");
    // Nor does an interior-mutable child make its Reserved parent redundant: it survives a
    // foreign write that disables the parent.
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, RES);
    child(&mut t, 1, 2, 8, TbPerm::ReservedIm);
    t.retain_live(&|tag| tag == 2, &none);
    assert_eq!(t.node_count(), 3, "root, 1 (Reserved above Reserved (interior mutable)) and 2");
    access(&mut t, 0, 0, 8, AccessKind::Write).ok().unwrap();
    assert!(access(&mut t, 2, 0, 8, AccessKind::Write).is_err(), "refused by the disabled parent");
}

#[test]
fn dead_leaves_are_collected() {
    let mut t = TbAlloc::new(4);
    for tag in 1..=10 {
        child(&mut t, 0, tag, 4, RES);
    }
    child(&mut t, 5, 11, 4, RES);
    t.retain_live(&|tag| tag == 11 || tag == 3, &none);
    assert_eq!(t.node_count(), 3, "root, 3 and 11 (5, Reserved above its Reserved child, is redundant)");
    assert!(access(&mut t, 11, 0, 4, AccessKind::Write).is_ok());
    assert!(access(&mut t, 3, 0, 4, AccessKind::Read).is_err(), "disabled by the write through 11");
}

#[test]
fn a_node_found_quiet_around_looks_again_once_another_turns_loud() {
    let live = |c: CallId| c == 7;
    let acc = |t: &mut TbAlloc, tag, off, kind| t.access(tag, off, 4, Access { kind, cause: Cause::Access, protected: &live, site: SITE });
    let mut t = TbAlloc::new(8);
    // 1 protected (loud for reads), below it 2 (`Reserved (interior mutable)`) and 3.
    t.reborrow(Some(0), 1, 0, &[(0, 8, RES)], RES, 7, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    t.reborrow(Some(1), 2, 0, &[(0, 8, TbPerm::ReservedIm)], TbPerm::ReservedIm, 0, false, &live, SITE, &mut SpareStates::default())
        .ok()
        .unwrap();
    t.reborrow(Some(1), 3, 0, &[(0, 8, RES)], RES, 0, false, &live, SITE, &mut SpareStates::default()).ok().unwrap();
    // Off 2's path nothing is loud for reads: remembered.
    acc(&mut t, 2, 0, AccessKind::Read).ok().unwrap();
    // 3 turns `Unique` (loud for reads; 2 tolerates the foreign write); 2's next read is
    // foreign to 3 and freezes it there.
    acc(&mut t, 3, 0, AccessKind::Write).ok().unwrap();
    acc(&mut t, 3, 4, AccessKind::Write).ok().unwrap();
    acc(&mut t, 2, 4, AccessKind::Read).ok().unwrap();
    assert!(acc(&mut t, 3, 4, AccessKind::Write).is_err(), "frozen by the foreign read");
    assert!(acc(&mut t, 3, 0, AccessKind::Write).is_ok(), "bytes the read did not touch stay writable");
}

#[test]
fn a_reset_tree_behaves_as_a_new_one() {
    // A tree used (children, a disabled one, history) and then reset for a new allocation
    // must act exactly as `TbAlloc::new`: no old tag, no old state, no old history.
    let mut t = TbAlloc::new(8);
    child(&mut t, 0, 1, 8, TbPerm::Frozen);
    child(&mut t, 1, 2, 8, TbPerm::Frozen);
    access(&mut t, 0, 0, 8, AccessKind::Write).ok().unwrap();
    assert!(access(&mut t, 2, 0, 8, AccessKind::Read).is_err());
    t.reset(4, &mut SpareStates::default());
    assert_eq!(t.node_count(), 1);
    // The same tags, made again in the new allocation, start afresh.
    child(&mut t, 0, 1, 4, RES);
    access(&mut t, 1, 0, 4, AccessKind::Write).ok().unwrap();
    access(&mut t, 0, 0, 4, AccessKind::Read).ok().unwrap();
    let e = access(&mut t, 1, 0, 4, AccessKind::Write).expect_err("frozen by the foreign read");
    assert!(!e.history.iter().any(|h| h.0.contains("Disabled")), "no event of the old tree: {:?}", e.history);
    let mut fresh = TbAlloc::new(4);
    fresh.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
    access(&mut fresh, 1, 0, 4, AccessKind::Write).ok().unwrap();
    access(&mut fresh, 0, 0, 4, AccessKind::Read).ok().unwrap();
    let f = access(&mut fresh, 1, 0, 4, AccessKind::Write).expect_err("the same error");
    assert_eq!((e.details, e.history), (f.details, f.history));
}

#[test]
fn remembered_accesses_change_no_verdict() {
    // Random reborrows and accesses on small trees, run twice: once as is, and once with the
    // remembered no-op access forgotten before every access. The remembered range grows
    // over adjoining accesses of one kind through one tag; it must never skip an access
    // that would change a state or be refused.
    let mut rng = crate::borrows::stacked::tests::xorshift(0x2545_f491_4f6c_dd1d);
    let mut next = move |n: u64| rng() % n;
    let perms = [RES, TbPerm::Frozen, TbPerm::Unique, TbPerm::ReservedIm, TbPerm::Cell];
    for _ in 0..3000 {
        let (mut a, mut b) = (TbAlloc::new(16), TbAlloc::new(16));
        let mut tags = vec![0u32];
        for step in 0..40 {
            if next(6) == 0 && tags.len() < 5 {
                let (parent, perm) = (tags[next(tags.len() as u64) as usize], perms[next(perms.len() as u64) as usize]);
                let (off, len) = (next(4) * 4, 4 + next(3) * 4);
                let tag = step + 1;
                let ra = a.reborrow(Some(parent), tag, off, &[(0, len, perm)], RES, 0, false, &none, SITE, &mut SpareStates::default());
                let rb = b.reborrow(Some(parent), tag, off, &[(0, len, perm)], RES, 0, false, &none, SITE, &mut SpareStates::default());
                assert_eq!(ra.is_ok(), rb.is_ok());
                if ra.is_ok() {
                    tags.push(tag);
                }
                continue;
            }
            let tag = tags[next(tags.len() as u64) as usize];
            let kind = if next(3) == 0 { AccessKind::Write } else { AccessKind::Read };
            let (off, len) = (next(4) * 4, 4 * (1 + next(2)));
            b.last_noop = None;
            let (ra, rb) = (access(&mut a, tag, off, len, kind), access(&mut b, tag, off, len, kind));
            assert_eq!(ra.map_err(|e| e.details), rb.map_err(|e| e.details), "step {step}: {kind:?} through {tag} at {off}+{len}");
        }
    }
}

/// The loud lists as the nodes' loudness says they must be: per access kind, each node is
/// in its parent's list exactly while its subtree holds a node loud for that kind.
fn check_loud_lists(t: &TbAlloc) {
    // (And each node's loudness and loud spans: what its bytes say, `compute_loud`.)
    for (i, node) in t.nodes.iter().enumerate().skip(1) {
        let (loud, span) = node.compute_loud();
        assert_eq!(node.loud, loud, "node {i}'s loudness");
        for k in 0..2 {
            assert!(!loud[k] || node.loud_span[k] == span[k], "node {i}'s loud span for kind {k}");
        }
    }
    for k in 0..2 {
        // Parents come before their children: backwards, each subtree before its parent's.
        let mut subtree = vec![false; t.nodes.len()];
        for i in (0..t.nodes.len()).rev() {
            let node = &t.nodes[i];
            subtree[i] |= node.loud[k];
            if node.parent != NO_PARENT && subtree[i] {
                subtree[node.parent as usize] = true;
            }
        }
        for i in 0..t.nodes.len() as u32 {
            let mut listed: Vec<u32> = t.loud_children(i, k).collect();
            let mut expected: Vec<u32> = t.children(i).filter(|&c| subtree[c as usize]).collect();
            listed.sort_unstable();
            expected.sort_unstable();
            assert_eq!(listed, expected, "node {i}'s loud children for kind {k}");
        }
    }
}

#[test]
fn quiet_marks_and_repeated_updates_skip_only_what_changes_nothing() {
    // Random trees with protectors, protector ends and collections, run twice: once as is,
    // and once with every node's "nothing loud around" marks (`quiet_around`,
    // `quiet_outside`) and the remembered access forgotten before each operation, so that
    // every access walks the tree, and with every node updated on its own (no repeats of a
    // neighbour's update). After every step, the verdicts and every node's bytes, loudness
    // and history must be the same: a mark may only skip a walk that would find no foreign
    // node to visit, and a repeated update must be the one the node would have had.
    fn forget(t: &mut TbAlloc) {
        t.last_noop = None;
        t.nodes.iter_mut().for_each(|n| (n.quiet_around, n.quiet_outside) = ([0, 0], [0, 0]));
    }
    /// Per node: its tag, byte runs, loudness and events.
    type States = Vec<(u32, Vec<(u64, u64, LocState)>, [bool; 2], Vec<Event>)>;
    fn states(t: &TbAlloc) -> States {
        let runs = |n: &Node| n.states.runs().map(|(s, e, st)| (s, e, *st)).collect();
        t.nodes.iter().map(|n| (n.tag, runs(n), n.loud, t.history.of(n.events).copied().collect())).collect()
    }
    let mut rng = crate::borrows::stacked::tests::xorshift(0x9e37_79b9_7f4a_7c15);
    let mut next = move |n: u64| rng() % n;
    let perms = [RES, TbPerm::Frozen, TbPerm::Unique, TbPerm::ReservedIm, TbPerm::Cell];
    let (mut remembered, mut repeated, mut released_marked) = (0, 0, 0);
    for round in 0..3000 {
        let (mut a, mut b) = (TbAlloc::new(16), TbAlloc::new(16));
        b.no_repeats = true;
        // Each tag's pointee and initial permission.
        let mut shape: std::collections::HashMap<u32, (u64, u64, TbPerm)> = Default::default();
        let mut held = HeldTags::new();
        for step in 0..60u32 {
            let protected = held.protected();
            forget(&mut b);
            let what = next(10);
            let (ra, rb) = if what < 3 && held.tags.len() < 8 {
                let parent = held.pick(&mut next);
                let mut perm = perms[next(perms.len() as u64) as usize];
                let (mut off, mut len) = (next(4) * 4, 4 + next(3) * 4);
                // Half the time a reborrow of the parent's own bytes and permission (a chain,
                // whose nodes an access updates alike).
                if let (Some(&(o, l, p)), 0) = (shape.get(&parent), next(2)) {
                    (off, len, perm) = (o, l, p);
                }
                let tag = step + 1;
                shape.insert(tag, (off, len, perm));
                let call = if next(2) == 0 { CallId::from(tag) } else { 0 };
                let reborrow = |t: &mut TbAlloc| {
                    t.reborrow(Some(parent), tag, off, &[(0, len, perm)], RES, call, false, &protected, SITE, &mut SpareStates::default())
                };
                let (ra, rb) = (reborrow(&mut a), reborrow(&mut b));
                if ra.is_ok() {
                    held.made(tag, call);
                }
                (ra, rb)
            } else if what == 3 && !held.live.is_empty() {
                let tag = held.end_call(&mut next);
                let ended = held.protected();
                if let Some(n) = a.find(tag) {
                    released_marked += (0..2).any(|k| a.nodes[n as usize].quiet_outside[k] == a.loud_version[k]) as u32;
                }
                (a.release_protector(tag, &ended, SITE), b.release_protector(tag, &ended, SITE))
            } else if what == 4 && next(4) == 0 {
                // A collection keeps every tag but some unprotected leaves' (reshaping the tree).
                let gone = held.pick(&mut next);
                let keep = |t: u32| t != gone || t == 0 || held.tags.iter().any(|&(_, c)| c != 0 && held.live.contains(&c));
                a.retain_live(&keep, &protected);
                b.retain_live(&keep, &protected);
                held.tags.retain(|&(t, _)| a.find(t).is_some());
                (Ok(()), Ok(()))
            } else {
                let tag = held.pick(&mut next);
                let kind = if next(3) == 0 { AccessKind::Write } else { AccessKind::Read };
                let (off, len) = (next(4) * 4, 4 * (1 + next(2)));
                let go = |t: &mut TbAlloc| {
                    let n = t.node_of(tag);
                    let mark = t.nodes[n as usize].quiet_around[k(kind)];
                    let version = t.loud_version[k(kind)];
                    let r = t.access(tag, off, len, Access { kind, cause: Cause::Access, protected: &protected, site: SITE });
                    (r, mark == version)
                };
                let ((ra, marked), (rb, _)) = (go(&mut a), go(&mut b));
                remembered += marked as u32;
                (ra, rb)
            };
            assert_eq!(ra.map_err(|e| e.details), rb.map_err(|e| e.details), "round {round} step {step}");
            assert_eq!(states(&a), states(&b), "round {round} step {step}");
            check_loud_lists(&a);
        }
        repeated += a.repeated;
    }
    assert!(remembered > 1000, "marks were used: {remembered} accesses");
    assert!(released_marked > 1000, "protector ends found a mark: {released_marked}");
    assert!(repeated > 1000, "updates were repeated: {repeated} nodes");
}

#[test]
fn truncated_trees_act_as_if_the_newest_tags_were_never_made() {
    // 1 below the root, 2 below 1, then the tags to drop: 3 below the root, 4 below 2
    // (written: loud), 5 below 4; then 6 below the root made after the truncation.
    let build = |with_young: bool| {
        let mut t = TbAlloc::new(8);
        child(&mut t, 0, 1, 8, RES);
        child(&mut t, 1, 2, 8, RES);
        access(&mut t, 2, 0, 4, AccessKind::Write).ok().unwrap();
        if with_young {
            child(&mut t, 0, 3, 8, TbPerm::Frozen);
            child(&mut t, 2, 4, 8, RES);
            access(&mut t, 4, 4, 4, AccessKind::Write).ok().unwrap();
            child(&mut t, 4, 5, 8, TbPerm::Frozen);
            t.truncate_from(3, &mut SpareStates::default());
        } else {
            // What those did to the nodes that stay: the reborrows' reads through their
            // parents and the write through 4, which is a child write of 2 and 1.
            access(&mut t, 0, 0, 8, AccessKind::Read).ok().unwrap();
            access(&mut t, 2, 0, 8, AccessKind::Read).ok().unwrap();
            access(&mut t, 2, 4, 4, AccessKind::Write).ok().unwrap();
            access(&mut t, 2, 0, 8, AccessKind::Read).ok().unwrap();
        }
        child(&mut t, 0, 6, 8, TbPerm::Frozen);
        t
    };
    let (mut cut, mut fresh) = (build(true), build(false));
    let names = std::collections::HashMap::new();
    assert_eq!(cut.node_count(), 4);
    assert_eq!(cut.render(&names, true, &none), fresh.render(&names, true, &none));
    // The same verdicts from here on.
    for t in [&mut cut, &mut fresh] {
        assert!(access(t, 2, 0, 4, AccessKind::Write).is_err(), "frozen by the reborrow of 6");
        assert!(access(t, 1, 4, 4, AccessKind::Read).is_ok());
        assert!(access(t, 0, 4, 4, AccessKind::Write).is_ok());
        assert!(access(t, 1, 4, 4, AccessKind::Read).is_err(), "disabled by the root's write");
    }
    assert_eq!(cut.render(&names, true, &none), fresh.render(&names, true, &none));
}

#[test]
fn truncating_at_a_tag_no_node_has_changes_nothing() {
    let mut t = TbAlloc::new(4);
    child(&mut t, 0, 1, 4, RES);
    t.truncate_from(9, &mut SpareStates::default());
    assert_eq!(t.node_count(), 2);
    assert!(access(&mut t, 1, 0, 4, AccessKind::Write).is_ok());
}

#[test]
fn transitions_keep_what_loudness_kept_assumes() {
    // `loudness_kept` skips recomputing a changed node's loudness on three facts about
    // every state, protected or not, with a protector in force or not: a child read changes
    // no permission; a foreign access turns no byte loud for a kind it was quiet for; a
    // child write leaves a byte `Unique` (or `Cell`, never loud).
    let perms =
        [TbPerm::Cell, RES, TbPerm::Reserved { conflicted: true }, TbPerm::ReservedIm, TbPerm::Unique, TbPerm::Frozen, TbPerm::Disabled];
    for p in perms {
        for (has_protector, in_force) in [(false, false), (true, false), (true, true)] {
            if let Some(q) = p.after(true, AccessKind::Read, in_force) {
                assert_eq!(q, p, "a child read of {p:?}");
            }
            for kind in [AccessKind::Read, AccessKind::Write] {
                let q = p.after(false, kind, in_force).expect("foreign accesses are never refused here");
                let (before, after) = (p.loud_bits(has_protector), q.loud_bits(has_protector));
                assert_eq!(after & !before, 0, "a foreign {kind:?} of {p:?} makes {q:?}, louder");
            }
            if let Some(q) = p.after(true, AccessKind::Write, in_force) {
                assert!(q == TbPerm::Unique || q.loud_bits(has_protector) == 0, "a child write of {p:?} makes {q:?}");
            }
        }
    }
}
