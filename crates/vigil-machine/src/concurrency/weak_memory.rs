//! Weak memory: store buffers, so that relaxed and acquire loads may observe older stores
//! than the latest, as the C++20 memory model allows (after the operational model of
//! "Dynamic Race Detection for C++11", Lidbury & Donaldson, POPL 2017, adapted to C++20
//! release sequences and SC accesses/fences the way the reference interpreter does).
//!
//! Each atomically written location (offset and size within an allocation) keeps its stores
//! in modification order, at most `STORE_BUFFER_LIMIT`. A load may read any store that is not
//! ruled out by coherence (a store it already knows happened before it, a store read by a
//! load that happened before it) or by the SC rules; which one is chosen by the seeded
//! random source. A read-modify-write always reads the latest store. A non-atomic write
//! ends the location's atomic life (the race detector made sure it is ordered after every
//! store), so its buffer is dropped.

use std::collections::VecDeque;

use super::scheduler::Rng;
use super::vector_clock::{VClock, VectorIdx};
use crate::memory::Prov;

/// Stores kept per location (as in the reference interpreter).
pub const STORE_BUFFER_LIMIT: usize = 128;

/// A thread's view, as the store buffer needs it.
pub struct View<'a> {
    pub idx: VectorIdx,
    pub clock: &'a VClock,
    /// The last SC stores the thread's SC fences ordered it after.
    pub write_seqcst: &'a VClock,
    /// The stores before the last SC fence that the thread's SC loads know of.
    pub read_seqcst: &'a VClock,
}

#[derive(Clone, Debug)]
struct Store {
    thread: VectorIdx,
    time: u32,
    /// What a load of this store acquires.
    sync: VClock,
    seqcst: bool,
    /// The value (`None`: uninitialized) and its provenance.
    val: Option<(u128, Prov)>,
    /// Each thread's first load of this store (later loads by the same thread are later).
    loads: Vec<(VectorIdx, u32)>,
    sc_loaded: bool,
}

impl Store {
    fn record_load(&mut self, v: &View<'_>, seqcst: bool) {
        self.sc_loaded |= seqcst;
        if !self.loads.iter().any(|(i, _)| *i == v.idx) {
            self.loads.push((v.idx, v.clock.get(v.idx)));
        }
    }
}

/// The stores of one location, oldest first.
#[derive(Clone, Debug)]
pub struct StoreBuffer {
    stores: VecDeque<Store>,
}

impl StoreBuffer {
    /// A buffer whose first store is the location's value before its first atomic store
    /// (a non-atomic write that every thread may read: nothing to acquire).
    pub fn new(init: Option<(u128, Prov)>) -> StoreBuffer {
        let first =
            Store { thread: VectorIdx(0), time: 0, sync: VClock::default(), seqcst: false, val: init, loads: Vec::new(), sc_loaded: false };
        StoreBuffer { stores: VecDeque::from([first]) }
    }

    /// A load: picks a store it may read. Returns the value and what loading it acquires.
    pub fn load(&mut self, v: &View<'_>, seqcst: bool, rng: &mut Rng) -> (Option<(u128, Prov)>, VClock) {
        let mut candidates: Vec<usize> = Vec::new();
        let mut found_sc = false;
        for i in (0..self.stores.len()).rev() {
            let s = &self.stores[i];
            // An SC load ignores all but the latest SC store.
            if !(seqcst && s.seqcst && std::mem::replace(&mut found_sc, true)) {
                candidates.push(i);
            }
            let stop = s.time <= v.clock.get(s.thread) // coherence write-read
                || s.loads.iter().any(|&(j, t)| t <= v.clock.get(j)) // coherence read-read
                || (s.seqcst && s.time <= v.write_seqcst.get(s.thread))
                || (seqcst && s.time <= v.read_seqcst.get(s.thread))
                || (seqcst && s.sc_loaded);
            if stop {
                break;
            }
        }
        let i = candidates[rng.below(candidates.len())];
        let s = &mut self.stores[i];
        s.record_load(v, seqcst);
        (s.val, s.sync.clone())
    }

    /// A read of the latest store (read-modify-writes, failed compare-exchanges).
    pub fn load_latest(&mut self, v: &View<'_>, seqcst: bool) {
        if let Some(s) = self.stores.back_mut() {
            s.record_load(v, seqcst);
        }
    }

    /// A store by the thread of `v` (after the race detector advanced its clock), whose
    /// loads will acquire `sync`.
    pub fn store(&mut self, v: &View<'_>, val: (u128, Prov), seqcst: bool, sync: VClock) {
        if self.stores.len() >= STORE_BUFFER_LIMIT {
            self.stores.pop_front();
        }
        if seqcst {
            // Every store that happens before an SC store counts as SC for later SC loads
            // (they may read only the latest of them).
            for s in self.stores.iter_mut() {
                if s.time <= v.clock.get(s.thread) {
                    s.seqcst = true;
                }
            }
        }
        self.stores.push_back(Store {
            thread: v.idx,
            time: v.clock.get(v.idx),
            sync,
            seqcst,
            val: Some(val),
            loads: Vec::new(),
            sc_loaded: false,
        });
    }

    pub fn len(&self) -> usize {
        self.stores.len()
    }
}

/// The store buffers of one allocation, by (offset, size), sorted by offset.
#[derive(Clone, Debug, Default)]
pub struct Buffers {
    buffers: Vec<(u64, u64, StoreBuffer)>,
}

impl Buffers {
    /// The buffer of exactly `[off, off+size)`, if that location has one.
    pub fn get_mut(&mut self, off: u64, size: u64) -> Option<&mut StoreBuffer> {
        self.buffers.iter_mut().find(|(o, s, _)| *o == off && *s == size).map(|b| &mut b.2)
    }

    /// The buffer of `[off, off+size)`, made with `init` when there is none; buffers of
    /// other locations overlapping it are dropped (their accesses were ordered before, or the
    /// race detector reported a mixed-size race).
    pub fn get_or_insert(&mut self, off: u64, size: u64, init: impl FnOnce() -> Option<(u128, Prov)>) -> &mut StoreBuffer {
        if let Some(i) = self.buffers.iter().position(|(o, s, _)| *o == off && *s == size) {
            return &mut self.buffers[i].2;
        }
        self.remove_overlapping(off, size);
        let i = self.buffers.partition_point(|(o, _, _)| *o < off);
        self.buffers.insert(i, (off, size, StoreBuffer::new(init())));
        &mut self.buffers[i].2
    }

    /// A non-atomic write to `[off, off+size)` ends the atomic life of what it overlaps.
    pub fn remove_overlapping(&mut self, off: u64, size: u64) {
        self.buffers.retain(|(o, s, _)| o + s <= off || off + size <= *o);
    }

    pub fn is_empty(&self) -> bool {
        self.buffers.is_empty()
    }

    /// Calls `f` with the provenance of every buffered value.
    pub fn for_each_prov(&self, f: &mut impl FnMut(Prov)) {
        for (_, _, b) in &self.buffers {
            for s in &b.stores {
                if let Some((_, p)) = s.val.filter(|v| v.1.is_some()) {
                    f(p);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::concurrency::vector_clock::{NO_SITE, VTime};

    fn clock(times: &[u32]) -> VClock {
        let mut c = VClock::default();
        for (i, &t) in times.iter().enumerate() {
            c.set(VectorIdx(i as u32), VTime { time: t, site: NO_SITE });
        }
        c
    }

    fn view<'a>(idx: u32, c: &'a VClock, z: &'a VClock) -> View<'a> {
        View { idx: VectorIdx(idx), clock: c, write_seqcst: z, read_seqcst: z }
    }

    fn val(v: u128) -> (u128, Prov) {
        (v, Prov::NONE)
    }

    #[test]
    fn an_unsynchronized_load_may_read_an_older_store() {
        let z = VClock::default();
        let mut b = StoreBuffer::new(Some(val(0)));
        let writer = clock(&[1, 5]);
        b.store(&view(1, &writer, &z), val(1), false, VClock::default());
        // Thread 2 knows nothing of thread 1's store: it may read 0 or 1.
        let reader = clock(&[1, 0, 3]);
        let mut seen = std::collections::HashSet::new();
        let mut rng = Rng::new(3);
        for _ in 0..64 {
            let mut b2 = b.clone();
            seen.insert(b2.load(&view(2, &reader, &z), false, &mut rng).0.unwrap().0);
        }
        assert_eq!(seen, [0, 1].into_iter().collect());
    }

    #[test]
    fn a_store_that_happened_before_hides_older_ones() {
        let z = VClock::default();
        let mut b = StoreBuffer::new(Some(val(0)));
        b.store(&view(1, &clock(&[1, 5]), &z), val(1), false, VClock::default());
        let reader = clock(&[1, 5, 3]);
        let mut rng = Rng::new(0);
        for _ in 0..32 {
            assert_eq!(b.load(&view(2, &reader, &z), false, &mut rng).0.unwrap().0, 1);
        }
    }

    #[test]
    fn once_a_load_saw_a_store_later_loads_do_not_go_back() {
        let z = VClock::default();
        let mut b = StoreBuffer::new(Some(val(0)));
        b.store(&view(1, &clock(&[1, 5]), &z), val(1), false, VClock::default());
        let mut rng = Rng::new(1);
        let reader = clock(&[1, 0, 3]);
        // Until thread 2 reads the new store, it may read either; afterwards only the new one.
        loop {
            if b.load(&view(2, &reader, &z), false, &mut rng).0.unwrap().0 == 1 {
                break;
            }
        }
        let later = clock(&[1, 0, 4]);
        for _ in 0..32 {
            assert_eq!(b.load(&view(2, &later, &z), false, &mut rng).0.unwrap().0, 1);
        }
    }

    #[test]
    fn buffers_are_bounded_and_dropped_by_overlapping_writes() {
        let z = VClock::default();
        let mut bufs = Buffers::default();
        let b = bufs.get_or_insert(8, 4, || Some(val(0)));
        for i in 0..300 {
            b.store(&view(0, &clock(&[i + 1]), &z), val(i as u128), false, VClock::default());
        }
        assert_eq!(bufs.get_mut(8, 4).unwrap().len(), STORE_BUFFER_LIMIT);
        bufs.remove_overlapping(0, 8);
        assert!(bufs.get_mut(8, 4).is_some(), "bytes 0..8 do not overlap 8..12");
        bufs.remove_overlapping(10, 1);
        assert!(bufs.is_empty());
    }
}
