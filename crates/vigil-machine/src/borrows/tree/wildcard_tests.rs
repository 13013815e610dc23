//! Unit tests of wildcard accesses: exposure levels, the relation a wildcard access has to
//! each node, and the trees rooted at retags of wildcard pointers.

use super::wildcard::{Candidacy, Reach, Relation, TreeKind, relation};
use super::*;

fn none(_: CallId) -> bool {
    false
}
const SITE: Site = (FnId(0), SpanId(0));
const RES: TbPerm = TbPerm::Reserved { conflicted: false };
const READ: AccessKind = AccessKind::Read;
const WRITE: AccessKind = AccessKind::Write;

fn access(t: &mut TbAlloc, tag: u32, kind: AccessKind) -> Result<(), TbError> {
    t.access(tag, 0, 4, Access { kind, cause: Cause::Access, protected: &none, site: SITE })
}

fn wild(t: &mut TbAlloc, kind: AccessKind) -> Result<(), TbError> {
    t.wildcard_access(0, 4, Access { kind, cause: Cause::Access, protected: &none, site: SITE })
}

/// A new tag over the whole 4-byte allocation (`None`: from a wildcard pointer).
fn child(t: &mut TbAlloc, parent: Option<u32>, tag: u32, perm: TbPerm) {
    t.reborrow(parent, tag, 0, &[(0, 4, perm)], perm, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
}

fn perm(t: &TbAlloc, tag: u32) -> TbPerm {
    t.nodes[t.find(tag).unwrap() as usize].states.get(0).perm
}

fn no_accessor(e: &TbError) -> bool {
    e.through == Through::Wildcard && e.details.iter().any(|d| d.contains("no exposed tags"))
}

#[test]
fn reach_is_the_strongest_child_access_a_permission_allows() {
    let perms =
        [TbPerm::Cell, RES, TbPerm::Reserved { conflicted: true }, TbPerm::ReservedIm, TbPerm::Unique, TbPerm::Frozen, TbPerm::Disabled];
    for p in perms {
        for prot in [false, true] {
            let reach = Reach::of(p, prot);
            assert_eq!(reach.allows(READ), p.after(true, READ, prot).is_some(), "{p:?} protected={prot}");
            assert_eq!(reach.allows(WRITE), p.after(true, WRITE, prot).is_some(), "{p:?} protected={prot}");
        }
    }
}

#[test]
fn relation_follows_where_the_possible_accessors_are() {
    use Candidacy::*;
    use TreeKind::*;
    assert_eq!(relation(0, 0, Main, Possible), None, "nobody could make it");
    assert_eq!(relation(2, 2, Main, Possible), Some(Relation::Child));
    assert_eq!(relation(2, 0, Main, Possible), Some(Relation::Foreign));
    assert_eq!(relation(2, 1, Main, Possible), Some(Relation::Unknown));
    // A wildcard-rooted tree's unknown parent may always have made it.
    assert_eq!(relation(0, 0, WildcardRooted, Possible), Some(Relation::Foreign));
    assert_eq!(relation(1, 1, WildcardRooted, Possible), Some(Relation::Unknown));
    // Nodes newer than the accessed tree's root cannot be its ancestors.
    assert_eq!(relation(2, 1, Main, TooNew), Some(Relation::Foreign));
    assert_eq!(relation(1, 1, Main, TooNew), None);
}

#[test]
fn without_exposed_tags_wildcard_accesses_are_refused() {
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    assert!(no_accessor(&wild(&mut t, READ).err().unwrap()));
    t.expose(1);
    wild(&mut t, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 1), TbPerm::Unique, "the only exposed tag made the write");
    // A write through the parent disables it: nothing can make a wildcard access any more.
    access(&mut t, 0, WRITE).ok().unwrap();
    assert!(no_accessor(&wild(&mut t, READ).err().unwrap()));
}

#[test]
fn a_write_goes_through_the_only_exposed_tag_that_can_write() {
    // 0 ─ 1 (Reserved, exposed) ─ 2 (Reserved) ─ 3 (Frozen, exposed)
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    child(&mut t, Some(1), 2, RES);
    child(&mut t, Some(2), 3, TbPerm::Frozen);
    t.expose(1);
    t.expose(3);
    // A read could come through either: 2 is left alone.
    wild(&mut t, READ).ok().unwrap();
    assert_eq!(perm(&t, 2), RES);
    // A write can only come through 1: 2 and 3 see a foreign write.
    wild(&mut t, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 1), TbPerm::Unique);
    assert_eq!(perm(&t, 2), TbPerm::Disabled);
    assert_eq!(perm(&t, 3), TbPerm::Disabled);
    assert!(access(&mut t, 2, READ).is_err());
}

#[test]
fn several_exposed_siblings_leave_each_other_unknown() {
    // 0 ─┬ 1 (exposed) ─ 4
    //    ├ 2 (exposed)
    //    └ 3
    let mut t = TbAlloc::new(4);
    for tag in 1..=3 {
        child(&mut t, Some(0), tag, RES);
    }
    child(&mut t, Some(1), 4, RES);
    t.expose(1);
    t.expose(2);
    wild(&mut t, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 1), RES, "maybe the writer, maybe not");
    assert_eq!(perm(&t, 2), RES);
    assert_eq!(perm(&t, 3), TbPerm::Disabled, "certainly foreign");
    assert_eq!(perm(&t, 4), TbPerm::Disabled, "no exposed tag below it");
    // Once 2 is disabled, a write can only come through 1.
    access(&mut t, 1, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 2), TbPerm::Disabled);
    wild(&mut t, READ).ok().unwrap();
}

#[test]
fn retags_of_wildcard_pointers_root_their_own_trees() {
    // Main: 0 ─┬ 1 (exposed)     Wildcard-rooted: 3 ─┬ 4
    //          └ 2                                   └ 5
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    child(&mut t, Some(0), 2, RES);
    t.expose(1);
    child(&mut t, None, 3, RES);
    assert_eq!(t.roots().collect::<Vec<_>>(), vec![0, 3]);
    child(&mut t, Some(3), 4, RES);
    child(&mut t, Some(3), 5, RES);
    // Within its tree, accesses are as precise as anywhere: 5 is foreign to 4.
    access(&mut t, 4, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 5), TbPerm::Disabled);
    // In the main tree it went through 1, the only exposed tag: 2 is foreign to it.
    assert_eq!(perm(&t, 1), TbPerm::Unique);
    assert_eq!(perm(&t, 2), TbPerm::Disabled);
    // An access in the main tree is foreign to every wildcard-rooted tree newer than it.
    access(&mut t, 0, READ).ok().unwrap();
    assert_eq!(perm(&t, 4), TbPerm::Frozen);
    assert_eq!(perm(&t, 3), TbPerm::Frozen);
    assert!(access(&mut t, 4, WRITE).is_err());
}

#[test]
fn a_wildcard_rooted_tree_cannot_hang_below_newer_exposed_tags() {
    // Main: 0 ─ 1 ─ 3 (exposed)    Wildcard-rooted: 2 (created before 3)
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    t.expose(1);
    child(&mut t, None, 2, RES);
    child(&mut t, Some(1), 3, RES);
    t.expose(3);
    // 2's parent is 1 (3 did not exist yet): its write is foreign to 3, child to 1.
    access(&mut t, 2, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 3), TbPerm::Disabled);
    assert_eq!(perm(&t, 1), TbPerm::Unique);
}

#[test]
fn a_tree_whose_only_possible_parents_are_disabled_refuses() {
    // Main: 0 ─┬ 1 (exposed)     Wildcard-rooted: 2 (Cell: foreign writes leave it be)
    //          └ 3 (exposed later)
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    t.expose(1);
    child(&mut t, None, 2, TbPerm::Cell);
    child(&mut t, Some(0), 3, RES);
    t.expose(3);
    access(&mut t, 3, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 1), TbPerm::Disabled);
    // 2 hangs below 1 (3 is newer than 2), and 1 can no longer be accessed.
    let e = access(&mut t, 2, READ).err().unwrap();
    assert!(no_accessor(&e));
}

#[test]
fn collection_keeps_live_wildcard_trees_and_drops_dead_ones() {
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    t.expose(1);
    child(&mut t, None, 2, RES);
    child(&mut t, None, 3, RES);
    child(&mut t, Some(3), 4, RES);
    t.retain_live(&|tag| tag == 4, &none);
    assert_eq!(t.wild_roots.len(), 1, "the tree of 4 stays, the dead tree of 2 goes");
    assert_eq!(t.nodes[t.wild_roots[0] as usize].tag, 3);
    access(&mut t, 4, WRITE).ok().unwrap();
    assert_eq!(perm(&t, 1), TbPerm::Unique);
}

#[test]
fn subtrees_below_a_node_ignoring_a_foreign_access_are_skipped() {
    // 0 ─┬ 1 ─ 3 (Frozen on bytes 0..2, exposed)
    //    └ 2 (exposed)
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    child(&mut t, Some(0), 2, RES);
    t.expose(2);
    t.access(2, 2, 2, Access { kind: WRITE, cause: Cause::Access, protected: &none, site: SITE }).ok().unwrap();
    t.reborrow(Some(1), 3, 0, &[(0, 2, TbPerm::Frozen)], TbPerm::Frozen, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
    t.expose(3);
    let at2 = |t: &TbAlloc, tag: u32| t.nodes[t.find(tag).unwrap() as usize].states.get(2).perm;
    assert_eq!(at2(&t, 1), TbPerm::Disabled);
    // Only 2 can write: 1 sees a foreign write, which it ignores, and so does its subtree
    // (as in Miri, which skips it): 3 keeps its permission there.
    t.wildcard_access(2, 2, Access { kind: WRITE, cause: Cause::Access, protected: &none, site: SITE }).ok().unwrap();
    assert_eq!(at2(&t, 3), TbPerm::Frozen);
}

#[test]
fn exposed_tags_below_a_node_ignoring_a_foreign_access_keep_their_state() {
    // 0 ─┬ 1 ─ 3 (Frozen on bytes 0..2, exposed)
    //    └ 2
    let mut t = TbAlloc::new(4);
    child(&mut t, Some(0), 1, RES);
    child(&mut t, Some(0), 2, RES);
    let write_2 = |t: &mut TbAlloc| t.access(2, 2, 2, Access { kind: WRITE, cause: Cause::Access, protected: &none, site: SITE });
    write_2(&mut t).ok().unwrap();
    t.reborrow(Some(1), 3, 0, &[(0, 2, TbPerm::Frozen)], TbPerm::Frozen, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
    t.expose(3);
    t.last_noop = None;
    write_2(&mut t).ok().unwrap();
    let at = |t: &TbAlloc, tag: u32, b: u64| t.nodes[t.find(tag).unwrap() as usize].states.get(b).perm;
    assert_eq!(at(&t, 3, 2), TbPerm::Frozen, "1 is Disabled there: Miri skips its subtree");
    // Where 1 does not ignore the write, 3 sees it.
    t.access(2, 0, 2, Access { kind: WRITE, cause: Cause::Access, protected: &none, site: SITE }).ok().unwrap();
    assert_eq!(at(&t, 3, 0), TbPerm::Disabled);
}
