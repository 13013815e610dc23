//! The permission changes of a tree's nodes, kept for the reports that may later need them:
//! one log per tree rather than a vector per node, so that a node costs no allocation for
//! its history (most nodes change once or twice, and most are never reported).
//!
//! Each node keeps its most recent `MAX_EVENTS` events: when it has that many, its oldest
//! is struck out of the log (left as a tombstone until the log is compacted). Entries name
//! their node by tag, which collections do not change: a collection only counts the
//! entries of the nodes it removed as struck out.

use super::report::{Event, MAX_EVENTS};
use super::{NIL, Node};

#[derive(Default)]
pub(super) struct History {
    /// `(node's tag, the node's next entry, event)` in the order they happened; tag `NIL`:
    /// struck out. Each node's entries form a list from its `Events::first` through the
    /// next entries to its `Events::last`.
    log: Vec<(u32, u32, Event)>,
    /// How many entries are struck out or belong to removed nodes.
    struck: usize,
}

/// A node's place in the history: its first and last entries (`NIL`: none) and how many
/// it has.
#[derive(Clone, Copy)]
pub(super) struct Events {
    first: u32,
    last: u32,
    pub(super) count: u8,
}

impl Events {
    pub(super) const NONE: Events = Events { first: NIL, last: NIL, count: 0 };
}

impl History {
    /// Forgets every entry, keeping the log's memory.
    pub(super) fn clear(&mut self) {
        self.log.clear();
        self.struck = 0;
    }

    /// How many entries the log has room for.
    pub(super) fn capacity(&self) -> usize {
        self.log.capacity()
    }

    /// Records `e` for the node `tag` (whose place in the history is `mine`), or extends the
    /// node's last event when `e` continues it (same site, cause and transition, starting
    /// where it ends).
    pub(super) fn record(&mut self, tag: u32, mine: &mut Events, e: Event) {
        if mine.last != NIL {
            let last = &mut self.log[mine.last as usize].2;
            if last.site == e.site && last.from == e.from && last.to == e.to && last.end == e.start && last.cause == e.cause {
                last.end = e.end;
                return;
            }
        }
        if mine.count as usize == MAX_EVENTS {
            // Strike out the oldest.
            let oldest = &mut self.log[mine.first as usize];
            oldest.0 = NIL;
            mine.first = oldest.1;
            self.struck += 1;
        } else {
            mine.count += 1;
        }
        let at = self.log.len() as u32;
        if mine.last != NIL {
            self.log[mine.last as usize].1 = at;
        }
        if mine.first == NIL {
            mine.first = at;
        }
        mine.last = at;
        self.log.push((tag, NIL, e));
    }

    /// Whether so much of the log is struck out that it should be compacted.
    pub(super) fn wants_compaction(&self) -> bool {
        self.struck > 64 && self.struck * 2 > self.log.len()
    }

    /// A collection removed nodes that had `count` events between them.
    pub(super) fn forget(&mut self, count: usize) {
        self.struck += count;
    }

    /// The events of a node (`mine`), oldest first.
    pub(super) fn of(&self, mine: Events) -> impl Iterator<Item = &Event> {
        let mut at = mine.first;
        std::iter::from_fn(move || {
            let (_, next, e) = self.log.get(at as usize)?;
            at = *next;
            Some(e)
        })
    }

    /// Drops the struck-out entries and those of nodes no longer in `nodes`, and relinks
    /// each node to its entries (in place, in three passes and without looking a node up by
    /// its tag: the nodes' own lists say which entries are kept and whose they are).
    pub(super) fn compact(&mut self, nodes: &mut [Node]) {
        // Every entry unclaimed (its tag is the node's, so it is restored from the node),
        // then each node's entries claimed with the node's index in place of the tag.
        for entry in &mut self.log {
            entry.0 = NIL;
        }
        for (n, node) in nodes.iter_mut().enumerate() {
            let mut at = node.events.first;
            while let Some(entry) = self.log.get_mut(at as usize) {
                entry.0 = n as u32;
                at = entry.1;
            }
            node.events = Events { count: node.events.count, ..Events::NONE };
        }
        let mut w = 0;
        for r in 0..self.log.len() {
            let n = self.log[r].0;
            if n == NIL {
                continue;
            }
            self.log.swap(w, r);
            self.log[w].0 = nodes[n as usize].tag;
            self.log[w].1 = NIL;
            let mine = &mut nodes[n as usize].events;
            match mine.last {
                NIL => mine.first = w as u32,
                last => self.log[last as usize].1 = w as u32,
            }
            mine.last = w as u32;
            w += 1;
        }
        self.log.truncate(w);
        self.struck = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::borrows::range_map::RangeMap;
    use crate::borrows::stacked::AccessKind;
    use crate::borrows::tree::perm::{LocState, TbPerm};
    use crate::borrows::tree::report::Cause;
    use vigil_ir::{FnId, SpanId};

    fn node(tag: u32) -> Node {
        let states = RangeMap::new(8, LocState { perm: TbPerm::Frozen, accessed: false });
        Node::new(tag, NIL, 0, false, states, None, TbPerm::Frozen)
    }

    /// An event at byte `at`, from a site of its own (so that none extends another).
    fn event(at: u64) -> Event {
        let site = (FnId(0), SpanId(at as u32));
        let (from, to) = (TbPerm::Frozen, TbPerm::Disabled);
        Event {
            site,
            from,
            to,
            cause: Cause::Access,
            access: AccessKind::Write,
            foreign: true,
            start: at,
            end: at + 1,
            range: (at, at + 1),
        }
    }

    fn starts(h: &History, n: &Node) -> Vec<u64> {
        h.of(n.events).map(|e| e.start).collect()
    }

    #[test]
    fn nodes_keep_their_latest_events_through_strikes_and_compactions() {
        let mut h = History::default();
        let mut nodes = vec![node(3), node(5)];
        for at in 0..MAX_EVENTS as u64 + 3 {
            let n = &mut nodes[0];
            h.record(n.tag, &mut n.events, event(at));
            let n = &mut nodes[1];
            h.record(n.tag, &mut n.events, event(100 + at));
        }
        let latest: Vec<u64> = (3..MAX_EVENTS as u64 + 3).collect();
        assert_eq!(starts(&h, &nodes[0]), latest, "the three oldest are struck out");
        // A continuing event extends the last one instead of adding another.
        let mut more = event(MAX_EVENTS as u64 + 2);
        (more.start, more.end) = (MAX_EVENTS as u64 + 3, MAX_EVENTS as u64 + 9);
        let n = &mut nodes[0];
        h.record(n.tag, &mut n.events, more);
        assert_eq!(h.of(nodes[0].events).last().map(|e| e.end), Some(MAX_EVENTS as u64 + 9));
        // A collection removes node 3; compacting keeps node 5's events in order.
        h.forget(nodes[0].events.count as usize);
        let mut kept = vec![nodes.remove(1)];
        h.compact(&mut kept);
        assert_eq!(starts(&h, &kept[0]), latest.iter().map(|s| s + 100).collect::<Vec<_>>());
        assert_eq!(h.log.len(), MAX_EVENTS, "only node 5's entries are left");
        assert!(h.log.iter().all(|entry| entry.0 == 5), "the kept entries name their node");
        // Entries recorded after a compaction link on to the compacted ones.
        let n = &mut kept[0];
        h.record(n.tag, &mut n.events, event(500));
        assert_eq!(starts(&h, &kept[0]).last(), Some(&500));
        assert_eq!(starts(&h, &kept[0]).len(), MAX_EVENTS);
    }
}
