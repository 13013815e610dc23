//! Aliases against the nodes they stand for: a tree that makes a `Cell` node for every
//! shared reborrow of `UnsafeCell`s alone and one that makes an alias instead must give the
//! same verdicts, the same reports and the same states to every other node.

use super::tests::HeldTags;
use super::*;

fn none(_: CallId) -> bool {
    false
}
const SITE: Site = (FnId(0), SpanId(0));
const RES: TbPerm = TbPerm::Reserved { conflicted: false };

#[test]
fn an_alias_reports_as_its_node_would() {
    // 1: a `&mut` below the root; 2: a shared reference to `UnsafeCell`s made from it.
    // A write through the root disables 1; a read through 2 is refused by 1.
    let run = |alias: bool| {
        let mut t = TbAlloc::new(4);
        t.reborrow(Some(0), 1, 0, &[(0, 4, RES)], RES, 0, false, &none, SITE, &mut SpareStates::default()).ok().unwrap();
        let made = (FnId(3), SpanId(5));
        if alias {
            t.alias(1, 2, made);
        } else {
            t.reborrow(Some(1), 2, 0, &[(0, 4, TbPerm::Cell)], TbPerm::Cell, 0, false, &none, made, &mut SpareStates::default())
                .ok()
                .unwrap();
        }
        let a = |kind| Access { kind, cause: Cause::Access, protected: &none, site: SITE };
        t.access(2, 0, 4, a(AccessKind::Write)).ok().unwrap();
        t.access(0, 0, 4, a(AccessKind::Write)).ok().unwrap();
        let e = t.access(2, 0, 4, a(AccessKind::Read)).err().unwrap();
        (e.details, e.history, t.node_count())
    };
    let ((d, h, nodes), (alias_d, alias_h, alias_nodes)) = (run(false), run(true));
    assert_eq!(alias_d, d);
    assert_eq!(alias_h, h);
    assert!(d[0].contains("the accessed tag <2> is a child of the conflicting tag <1>"), "{d:?}");
    assert!(h.iter().any(|(l, site)| l.contains("the accessed tag <2> was created here") && *site == Some((FnId(3), SpanId(5)))));
    assert_eq!((nodes, alias_nodes), (3, 2));
}

#[test]
fn aliases_act_as_cell_nodes() {
    /// Per held tag with a node: its byte runs and events. (Collections may keep different
    /// dead nodes in the two trees: those they remove change no verdict.)
    type States = Vec<(u32, Vec<(u64, u64, LocState)>, Vec<Event>)>;
    fn states(t: &TbAlloc, held: &[(u32, CallId)]) -> States {
        let runs = |n: &Node| n.states.runs().map(|(s, e, st)| (s, e, *st)).collect();
        t.nodes
            .iter()
            .filter(|n| held.iter().any(|h| h.0 == n.tag))
            .map(|n| (n.tag, runs(n), t.history.of(n.events).copied().collect()))
            .collect()
    }
    let mut rng = crate::borrows::stacked::tests::xorshift(0x2545_f491_4f6c_dd1d);
    let mut next = move |n: u64| rng() % n;
    let perms = [RES, TbPerm::Frozen, TbPerm::Unique, TbPerm::ReservedIm, TbPerm::Cell];
    let mut aliased_accesses = 0;
    for round in 0..3000 {
        // `nodes` makes `Cell` nodes, `aliases` aliases.
        let (mut nodes, mut aliases) = (TbAlloc::new(16), TbAlloc::new(16));
        // The tags made as aliases (nodes of `Cell` only in `nodes`).
        let mut cells: Vec<u32> = Vec::new();
        let mut held = HeldTags::new();
        for step in 0..60u32 {
            let protected = held.protected();
            let what = next(10);
            let (ra, rb) = if what < 4 && held.tags.len() < 10 {
                let parent = held.pick(&mut next);
                let tag = step + 1;
                let call = if next(2) == 0 { CallId::from(tag) } else { 0 };
                // One reborrow in three is a shared one of `UnsafeCell`s alone.
                let r = if next(3) == 0 {
                    let r = nodes.reborrow(
                        Some(parent),
                        tag,
                        0,
                        &[(0, 16, TbPerm::Cell)],
                        TbPerm::Cell,
                        call,
                        false,
                        &protected,
                        SITE,
                        &mut SpareStates::default(),
                    );
                    aliases.alias(parent, tag, SITE);
                    cells.push(tag);
                    (r, Ok(()))
                } else {
                    let perm = perms[next(perms.len() as u64) as usize];
                    let (off, len) = (next(4) * 4, 4 + next(3) * 4);
                    let reborrow = |t: &mut TbAlloc| {
                        t.reborrow(
                            Some(parent),
                            tag,
                            off,
                            &[(0, len, perm)],
                            RES,
                            call,
                            false,
                            &protected,
                            SITE,
                            &mut SpareStates::default(),
                        )
                    };
                    (reborrow(&mut nodes), reborrow(&mut aliases))
                };
                if r.0.is_ok() {
                    held.made(tag, call);
                }
                r
            } else if what == 4 && !held.live.is_empty() {
                let tag = held.end_call(&mut next);
                let ended = held.protected();
                (nodes.release_protector(tag, &ended, SITE), aliases.release_protector(tag, &ended, SITE))
            } else if what == 5 && next(3) == 0 {
                // A collection: one tag is no longer held. A protected tag stays usable, but
                // for an alias, which no pointer holds any more (its protector guards
                // nothing: it ends here).
                let gone = held.pick(&mut next);
                if cells.contains(&gone) {
                    held.live.retain(|&c| c != CallId::from(gone));
                }
                let live = held.live.clone();
                held.tags.retain(|&(t, c)| t != gone || t == 0 || (c != 0 && live.contains(&c)));
                let kept = |t: u32| t == 0 || (t != gone && held.tags.iter().any(|&(h, _)| h == t));
                let protected = held.protected();
                nodes.retain_live(&kept, &protected);
                aliases.retain_live(&kept, &protected);
                (Ok(()), Ok(()))
            } else {
                let tag = held.pick(&mut next);
                aliased_accesses += cells.contains(&tag) as u32;
                let kind = if next(3) == 0 { AccessKind::Write } else { AccessKind::Read };
                let (off, len) = (next(4) * 4, 4 * (1 + next(2)));
                let go =
                    |t: &mut TbAlloc| t.access(tag, off, len, Access { kind, cause: Cause::Access, protected: &protected, site: SITE });
                (go(&mut nodes), go(&mut aliases))
            };
            let report = |r: Result<(), TbError>| r.map_err(|e| (e.title, e.offset, e.details, e.history));
            assert_eq!(report(ra), report(rb), "round {round} step {step}");
            let nodes_held: Vec<_> = held.tags.iter().copied().filter(|t| !cells.contains(&t.0)).collect();
            assert_eq!(states(&nodes, &nodes_held), states(&aliases, &nodes_held), "round {round} step {step}");
        }
    }
    assert!(aliased_accesses > 10_000, "accesses through aliases: {aliased_accesses}");
}
