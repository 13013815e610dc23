//! The data-race detector: vector clocks per thread, and per memory location (merged into
//! runs like the aliasing state) the last write, the reads since then and, for locations
//! used atomically, the atomic accesses and the clock a release published there.
//!
//! Happens-before comes from spawn and join, every synchronizing operation of the sync
//! objects (through `acquire`/`release`), release/acquire atomics (with C++20 release
//! sequences) and fences. A race is two accesses on different threads, at least one a write
//! and at least one non-atomic (or atomic accesses of different sizes), neither happening
//! before the other. Allocation and deallocation count as writes.
//!
//! Reads are kept FastTrack-style: while the reads since the last write are ordered, one
//! epoch (thread, time) stands for all of them; only concurrent reads need a vector clock.
//!
//! Architecture invariant: nothing here runs while only one thread has existed, or once
//! every other thread was joined (`Memory::race_on` is false then); locations get their
//! state lazily, on their first access while it is on, as "everything before happened
//! before every thread".

use std::cell::RefCell;

use vigil_ir::AtomicOrd;

use super::thread::ThreadId;
use super::vector_clock::{Site, VClock, VTime, VectorIdx};
use crate::borrows::range_map::RangeMap;

/// What a non-atomic write was (allocation and deallocation count as writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Allocate,
    Write,
    Deallocate,
    /// A retag that writes (Stacked Borrows `&mut`).
    RetagWrite,
}

impl WriteKind {
    fn describe(self) -> &'static str {
        match self {
            WriteKind::Allocate => "creating a new allocation",
            WriteKind::Write => "non-atomic write",
            WriteKind::Deallocate => "deallocation",
            WriteKind::RetagWrite => "retag write",
        }
    }
}

/// One memory access, as the detector sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    Read { retag: bool },
    Write(WriteKind),
    AtomicLoad,
    AtomicStore,
    AtomicRmw,
}

impl AccessKind {
    fn is_atomic(self) -> bool {
        matches!(self, AccessKind::AtomicLoad | AccessKind::AtomicStore | AccessKind::AtomicRmw)
    }
    fn is_read(self) -> bool {
        matches!(self, AccessKind::Read { .. } | AccessKind::AtomicLoad)
    }
    fn is_retag(self) -> bool {
        matches!(self, AccessKind::Read { retag: true } | AccessKind::Write(WriteKind::RetagWrite))
    }
    fn describe(self) -> &'static str {
        match self {
            AccessKind::Read { retag: false } => "non-atomic read",
            AccessKind::Read { retag: true } => "retag read",
            AccessKind::Write(w) => w.describe(),
            AccessKind::AtomicLoad => "atomic load",
            AccessKind::AtomicStore => "atomic store",
            AccessKind::AtomicRmw => "atomic read-modify-write",
        }
    }
}

/// The non-atomic reads since the last write.
#[derive(Clone, Debug, PartialEq)]
enum Reads {
    None,
    /// All of them happened before this one (thread, time, whether it was a retag): it
    /// stands for them all.
    One(VectorIdx, VTime, bool),
    /// Concurrent reads: each thread's latest (and the threads whose latest was a retag).
    Many(Box<(VClock, Vec<VectorIdx>)>),
}

/// Atomic accesses of a location (only for locations used atomically).
#[derive(Clone, Debug, PartialEq)]
struct AtomicCell {
    /// Each thread's latest atomic load.
    reads: VClock,
    /// Each thread's latest atomic store or read-modify-write.
    writes: VClock,
    /// What an acquire load of this location synchronizes with (release sequences).
    sync: VClock,
    /// The size of the atomic accesses; `None` once reads of different sizes happened
    /// (fine as long as no write of yet another size follows).
    size: Option<u64>,
}

/// Race state of a run of bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    write: (VectorIdx, VTime),
    write_kind: WriteKind,
    reads: Reads,
    atomic: Option<Box<AtomicCell>>,
}

impl Cell {
    /// State of memory whose past happened before every thread.
    pub fn before_everything() -> Cell {
        Cell { write: (VectorIdx(0), VTime::ZERO), write_kind: WriteKind::Allocate, reads: Reads::None, atomic: None }
    }

    fn write_before(&self, c: &VClock) -> bool {
        self.write.1.time <= c.get(self.write.0)
    }

    fn reads_before(&self, c: &VClock) -> bool {
        match &self.reads {
            Reads::None => true,
            Reads::One(i, t, _) => t.time <= c.get(*i),
            Reads::Many(v) => v.0.le(c),
        }
    }

    /// A non-atomic read (`retag`: made by a retag) by thread `i` at `now`; false on a race.
    fn na_read(&mut self, i: VectorIdx, now: VTime, c: &VClock, retag: bool) -> bool {
        if !self.write_before(c) || self.atomic.as_ref().is_some_and(|a| !a.writes.le(c)) {
            return false;
        }
        self.reads = match std::mem::replace(&mut self.reads, Reads::None) {
            Reads::None => Reads::One(i, now, retag),
            Reads::One(j, t, _) if j == i || t.time <= c.get(j) => Reads::One(i, now, retag),
            Reads::One(j, t, r) => {
                let mut v = VClock::single(j, t);
                v.set(i, now);
                let retags = [(j, r), (i, retag)].into_iter().filter(|x| x.1).map(|x| x.0).collect();
                Reads::Many(Box::new((v, retags)))
            }
            Reads::Many(mut v) => {
                v.0.set(i, now);
                v.1.retain(|&x| x != i);
                if retag {
                    v.1.push(i);
                }
                Reads::Many(v)
            }
        };
        true
    }

    /// A non-atomic write by thread `i` at `now`; false on a race.
    fn na_write(&mut self, i: VectorIdx, now: VTime, c: &VClock, kind: WriteKind) -> bool {
        if !self.write_before(c) || !self.reads_before(c) {
            return false;
        }
        if self.atomic.as_ref().is_some_and(|a| !a.writes.le(c) || !a.reads.le(c)) {
            return false;
        }
        self.write = (i, now);
        self.write_kind = kind;
        self.reads = Reads::None;
        self.atomic = None;
        true
    }

    /// The atomic state for an access of `size` bytes; `None` on a mixed-size race.
    fn atomic_for(&mut self, c: &VClock, size: u64, write: bool) -> Option<&mut AtomicCell> {
        let a = self.atomic.get_or_insert_with(|| {
            Box::new(AtomicCell { reads: VClock::default(), writes: VClock::default(), sync: VClock::default(), size: Some(size) })
        });
        if a.size == Some(size) {
        } else if a.reads.le(c) && a.writes.le(c) {
            a.size = Some(size);
        } else if !write && a.writes.le(c) {
            a.size = None;
        } else {
            return None;
        }
        Some(a)
    }

    /// The atomic part of a load: no race with a non-atomic write.
    fn atomic_read(&mut self, i: VectorIdx, now: VTime, c: &VClock, size: u64) -> bool {
        let before = self.write_before(c);
        let Some(a) = self.atomic_for(c, size, false) else { return false };
        a.reads.set(i, now);
        before
    }

    /// The atomic part of a store or read-modify-write: no race with non-atomic accesses.
    fn atomic_write(&mut self, i: VectorIdx, now: VTime, c: &VClock, size: u64) -> bool {
        let before = self.write_before(c) && self.reads_before(c);
        let Some(a) = self.atomic_for(c, size, true) else { return false };
        a.writes.set(i, now);
        before
    }
}

/// A thread's clocks.
#[derive(Clone, Debug, Default)]
struct ThreadClocks {
    /// What happened before the thread's current point.
    clock: VClock,
    /// What an acquire fence will add (what relaxed loads read from releases).
    fence_acquire: VClock,
    /// What the last release fence published (relaxed stores carry it).
    fence_release: VClock,
    /// Weak memory: the last SC store of each thread that an SC fence of this thread
    /// ordered it after (its later loads cannot read older stores).
    write_seqcst: VClock,
    /// Weak memory: what the SC fences known to this thread's SC loads ordered before them.
    read_seqcst: VClock,
}

/// Which thread raced and how, for the report.
#[derive(Debug)]
pub struct Race {
    pub msg: String,
    /// Where the earlier access happened.
    pub earlier: Site,
    pub extra: Option<&'static str>,
    pub retag: bool,
}

/// The detector's global state: every thread's clocks.
#[derive(Default)]
pub struct RaceDetector {
    /// Each vector index's clocks (the thread using the index now; cleared when it ends).
    threads: RefCell<Vec<ThreadClocks>>,
    current: std::cell::Cell<VectorIdx>,
    /// The vector index of each thread (by thread id); indices of ended threads are reused
    /// once every running thread knows their whole history (see `thread_created`).
    vidx_of: Vec<VectorIdx>,
    /// Per vector index: the thread using it (`None` once it ended), and the last time of
    /// the thread that ended there (what every thread must know before the index is reused).
    owner: Vec<Option<ThreadId>>,
    final_time: Vec<u32>,
    /// Each thread's clock when it ended, until it is joined (by thread id).
    terminated: Vec<Option<VClock>>,
    /// SC fences act like read-modify-writes of one global location.
    last_sc_fence: VClock,
    /// Each thread's time at its last SC store (weak memory).
    last_sc_write: VClock,
    /// Names of the threads using each vector index, for reports.
    names: Vec<String>,
}

impl RaceDetector {
    pub fn new() -> RaceDetector {
        let mut d = RaceDetector::default();
        let mut main = ThreadClocks::default();
        main.clock.increment(VectorIdx(0));
        d.threads.get_mut().push(main);
        d.vidx_of.push(VectorIdx(0));
        d.owner.push(Some(ThreadId::MAIN));
        d.final_time.push(0);
        d.terminated.push(None);
        d.names.push("main".into());
        d
    }

    fn idx(&self, t: ThreadId) -> VectorIdx {
        self.vidx_of[t.index()]
    }

    pub fn set_active(&self, t: ThreadId) {
        self.current.set(self.idx(t));
    }

    pub fn set_name(&mut self, t: ThreadId, name: String) {
        let i = self.idx(t);
        self.names[i.index()] = name;
    }

    /// A vector index for a new thread: an ended thread's, if every running thread knows that
    /// thread's whole history (then no recorded access of it can race any more, and the new
    /// thread's times continue after it), else a new one.
    fn free_index(&self) -> Option<VectorIdx> {
        let threads = self.threads.borrow();
        (0..self.owner.len()).map(|i| VectorIdx(i as u32)).find(|&c| {
            self.owner[c.index()].is_none()
                && self.owner.iter().enumerate().all(|(v, o)| o.is_none() || threads[v].clock.get(c) >= self.final_time[c.index()])
        })
    }

    /// `child` was created by `parent`: everything the parent did happens before it.
    pub fn thread_created(&mut self, parent: ThreadId, child: ThreadId) {
        let p = self.idx(parent);
        let c = match self.free_index() {
            Some(c) => c,
            None => {
                self.threads.get_mut().push(ThreadClocks::default());
                self.owner.push(None);
                self.final_time.push(0);
                self.names.push(String::new());
                VectorIdx(self.owner.len() as u32 - 1)
            }
        };
        if self.vidx_of.len() <= child.index() {
            self.vidx_of.resize(child.index() + 1, VectorIdx(0));
            self.terminated.resize(child.index() + 1, None);
        }
        self.vidx_of[child.index()] = c;
        self.owner[c.index()] = Some(child);
        self.names[c.index()] = format!("unnamed-{}", child.0);
        let threads = self.threads.get_mut();
        let pc = threads[p.index()].clock.clone();
        threads[c.index()] = ThreadClocks::default();
        threads[c.index()].clock.join(&pc);
        threads[p.index()].clock.increment(p);
        threads[c.index()].clock.increment(c);
    }

    /// `t` ended: its final clock is what a join acquires.
    pub fn thread_terminated(&mut self, t: ThreadId) {
        let i = self.idx(t);
        // Its clocks are not needed any more, only what a join acquires.
        let clocks = std::mem::take(&mut self.threads.get_mut()[i.index()]);
        self.final_time[i.index()] = clocks.clock.get(i);
        self.owner[i.index()] = None;
        self.terminated[t.index()] = Some(clocks.clock);
    }

    /// The running thread joined `t`. Returns whether every thread's history is now known
    /// to the running one (then no race is possible until a new thread starts).
    pub fn thread_joined(&mut self, t: ThreadId, live_threads: usize) -> bool {
        let cur = self.current.get();
        // A thread is joined once: its final clock is not needed afterwards.
        let Some(c) = self.terminated[t.index()].take() else { return false };
        let threads = self.threads.get_mut();
        threads[cur.index()].clock.join(&c);
        let me = &threads[cur.index()].clock;
        live_threads == 1
            && (0..self.owner.len()).all(|i| {
                let v = VectorIdx(i as u32);
                let time = if self.owner[i].is_some() { threads[i].clock.get(v) } else { self.final_time[i] };
                time <= me.get(v)
            })
    }

    /// The running thread synchronizes with `clock` (an acquire).
    pub fn acquire(&self, clock: &VClock) {
        let cur = self.current.get();
        self.threads.borrow_mut()[cur.index()].clock.join(clock);
    }

    /// The running thread's clock as a release publishes it; its time then advances.
    pub fn release(&self) -> VClock {
        let cur = self.current.get();
        let mut threads = self.threads.borrow_mut();
        let c = threads[cur.index()].clock.clone();
        threads[cur.index()].clock.increment(cur);
        c
    }

    /// A fence of the running thread.
    pub fn fence(&mut self, ord: AtomicOrd) {
        let cur = self.current.get();
        let sc = &mut self.last_sc_fence;
        let t = &mut self.threads.get_mut()[cur.index()];
        if ord != AtomicOrd::Release {
            let fa = t.fence_acquire.clone();
            t.clock.join(&fa);
        }
        if ord == AtomicOrd::SeqCst {
            sc.join(&t.clock);
            t.clock.join(sc);
            t.write_seqcst.join(&self.last_sc_write);
        }
        if ord != AtomicOrd::Acquire {
            t.fence_release = t.clock.clone();
            t.clock.increment(cur);
        }
    }

    /// A non-atomic access of `[start, start+len)` in `cells` by the running thread at `site`.
    pub fn na_access(&self, cells: &mut RangeMap<Cell>, start: u64, len: u64, kind: AccessKind, site: Site) -> Result<(), Race> {
        let cur = self.current.get();
        let mut threads = self.threads.borrow_mut();
        let c = &mut threads[cur.index()].clock;
        c.set_site(cur, site);
        let now = c.entry(cur);
        // Fast path: this thread already made this very access at this time.
        let done = cells.all_in(start, len, |cell| match kind {
            AccessKind::Read { .. } => {
                cell.atomic.is_none()
                    && (matches!(cell.reads, Reads::One(i, t, r) if i == cur && t.time == now.time && AccessKind::Read { retag: r } == kind)
                        || (cell.write.0 == cur && cell.write.1.time == now.time && matches!(cell.reads, Reads::None)))
            }
            _ => {
                cell.atomic.is_none()
                    && cell.write.0 == cur
                    && cell.write.1.time == now.time
                    && matches!(cell.reads, Reads::None)
                    && cell.write_kind == WriteKind::Write
            }
        });
        if done && kind != AccessKind::Write(WriteKind::Deallocate) {
            return Ok(());
        }
        let c = &threads[cur.index()].clock;
        let mut race = None;
        let _ = cells.update(start, len, |_, _, cell| {
            let ok = match kind {
                AccessKind::Read { retag } => cell.na_read(cur, now, c, retag),
                AccessKind::Write(w) => cell.na_write(cur, now, c, w),
                _ => unreachable!("atomic accesses go through `atomic_access`"),
            };
            if ok {
                Ok(())
            } else {
                race = Some(self.report(cell, kind, len, c));
                Err(())
            }
        });
        race.map_or(Ok(()), Err)
    }

    /// An atomic access of `len` bytes at `start` by the running thread with ordering `ord`.
    /// For compare-exchange failures `kind` is a load with the failure ordering. A load
    /// acquires `sync` if given (the clock of the store weak memory chose), else what the
    /// location's latest store published.
    #[allow(clippy::too_many_arguments)]
    pub fn atomic_access(
        &self,
        cells: &mut RangeMap<Cell>,
        start: u64,
        len: u64,
        kind: AccessKind,
        ord: AtomicOrd,
        site: Site,
        sync: Option<&VClock>,
    ) -> Result<(), Race> {
        let cur = self.current.get();
        let mut threads = self.threads.borrow_mut();
        let t = &mut threads[cur.index()];
        t.clock.set_site(cur, site);
        let now = t.clock.entry(cur);
        let mut race = None;
        let mut acquired = VClock::default();
        let _ = cells.update(start, len, |_, _, cell| {
            let ok = match kind {
                AccessKind::AtomicLoad => cell.atomic_read(cur, now, &t.clock, len),
                AccessKind::AtomicStore => cell.atomic_write(cur, now, &t.clock, len),
                AccessKind::AtomicRmw => cell.atomic_read(cur, now, &t.clock, len) && cell.atomic_write(cur, now, &t.clock, len),
                _ => unreachable!(),
            };
            if !ok {
                race = Some(self.report(cell, kind, len, &t.clock));
                return Err(());
            }
            let a = cell.atomic.as_mut().unwrap();
            // The load side: acquire what the location published (relaxed loads only for a
            // later acquire fence).
            if kind != AccessKind::AtomicStore && sync.is_none() {
                acquired.join(&a.sync);
            }
            // The store side.
            match kind {
                AccessKind::AtomicStore => a.sync = if ord.releases() { t.clock.clone() } else { t.fence_release.clone() },
                // Read-modify-writes continue release sequences.
                AccessKind::AtomicRmw => a.sync.join(if ord.releases() { &t.clock } else { &t.fence_release }),
                _ => {}
            }
            Ok(())
        });
        if let Some(r) = race {
            return Err(r);
        }
        if let Some(s) = sync {
            acquired.join(s);
        }
        if kind != AccessKind::AtomicStore {
            if ord.acquires() {
                t.clock.join(&acquired);
            } else {
                t.fence_acquire.join(&acquired);
            }
        }
        if kind != AccessKind::AtomicLoad {
            // Stores and read-modify-writes are releases (of some sort): later events of
            // this thread must not be confused with what they published.
            t.clock.increment(cur);
        }
        Ok(())
    }

    /// Builds the report of a race of `access` (by the running thread) with the cell's past.
    fn report(&self, cell: &Cell, access: AccessKind, len: u64, c: &VClock) -> Race {
        let cur = self.current.get();
        let atomic = cell.atomic.as_deref();
        let mut extra = None;
        let late_read = match &cell.reads {
            Reads::One(i, t, r) if t.time > c.get(*i) => Some((*i, *t, *r)),
            Reads::Many(v) => v.0.first_ahead_of(c).map(|i| (i, v.0.entry(i), v.1.contains(&i))),
            _ => None,
        };
        let (other, idx, site, other_atomic): (String, VectorIdx, Site, bool) =
            if let (false, Some(i)) = (access.is_atomic(), atomic.and_then(|a| a.writes.first_ahead_of(c))) {
                ("atomic store".into(), i, atomic.unwrap().writes.entry(i).site, true)
            } else if let (false, false, Some(i)) = (access.is_atomic(), access.is_read(), atomic.and_then(|a| a.reads.first_ahead_of(c))) {
                ("atomic load".into(), i, atomic.unwrap().reads.entry(i).site, true)
            } else if !cell.write_before(c) {
                (cell.write_kind.describe().into(), cell.write.0, cell.write.1.site, false)
            } else if let (false, Some((i, t, retag))) = (access.is_read(), late_read) {
                (if retag { "retag read" } else { "non-atomic read" }.into(), i, t.site, false)
            } else if let Some(a) = atomic {
                // Differently sized atomic accesses.
                extra = Some("overlapping unsynchronized atomic accesses must use the same access size");
                let other_size = a.size.unwrap_or(0);
                let (what, i, s) = match a.writes.first_ahead_of(c) {
                    Some(i) => ("atomic store", i, a.writes.entry(i).site),
                    None => {
                        let i = a.reads.first_ahead_of(c).unwrap_or(VectorIdx(0));
                        ("atomic load", i, a.reads.entry(i).site)
                    }
                };
                let what = if other_size == 0 {
                    "multiple differently-sized atomic loads, including one load".to_string()
                } else {
                    format!("{other_size}-byte {what}")
                };
                (what, i, s, true)
            } else {
                ("access".into(), VectorIdx(0), super::vector_clock::NO_SITE, false)
            };
        let this = if extra.is_some() { format!("{len}-byte {}", access.describe()) } else { access.describe().to_string() };
        let involves_non_atomic = !access.is_atomic() || !other_atomic;
        let name = |i: VectorIdx| self.names.get(i.index()).cloned().unwrap_or_default();
        let msg = format!(
            "{} detected between (1) {other} on thread `{}` and (2) {this} on thread `{}`",
            if involves_non_atomic { "Data race" } else { "Race condition" },
            name(idx),
            name(cur),
        );
        Race { msg, earlier: site, extra, retag: access.is_retag() || other.starts_with("retag") }
    }

    /// Weak memory, an SC load: it knows the SC fences' orderings.
    pub fn sc_read(&self) {
        let cur = self.current.get();
        let fence = self.last_sc_fence.clone();
        self.threads.borrow_mut()[cur.index()].read_seqcst.join(&fence);
    }

    /// Weak memory, an SC store: later SC fences order after it.
    pub fn sc_write(&mut self) {
        let cur = self.current.get();
        let t = self.threads.get_mut()[cur.index()].clock.entry(cur);
        self.last_sc_write.set(cur, t);
    }

    /// What an acquire of the location's latest store gets: its cells' release clocks.
    pub fn latest_sync(cells: &RangeMap<Cell>, start: u64, len: u64) -> VClock {
        let mut c = VClock::default();
        cells.for_each_in(start, len, |_, cell| {
            if let Some(a) = &cell.atomic {
                c.join(&a.sync);
            }
            true
        });
        c
    }

    /// Calls `f` with the running thread's view (for weak memory).
    pub fn with_view<R>(&self, f: impl FnOnce(super::weak_memory::View<'_>) -> R) -> R {
        let cur = self.current.get();
        let threads = self.threads.borrow();
        let t = &threads[cur.index()];
        f(super::weak_memory::View { idx: cur, clock: &t.clock, write_seqcst: &t.write_seqcst, read_seqcst: &t.read_seqcst })
    }

    /// Whether the location's last write was atomic (a store buffer then exists for it, or
    /// must start from the last non-atomic value otherwise).
    pub fn last_write_non_atomic(cells: &RangeMap<Cell>, start: u64, len: u64) -> bool {
        cells.all_in(start, len, |cell| cell.atomic.as_ref().is_none_or(|a| a.writes.le(&VClock::single(cell.write.0, cell.write.1))))
    }

    /// The state of a new allocation made by the running thread now (`at_zero`: memory
    /// that conceptually exists before every thread, like statics).
    pub fn new_allocation_cell(&self, at_zero: bool, site: Site) -> Cell {
        if at_zero {
            return Cell::before_everything();
        }
        let cur = self.current.get();
        let mut threads = self.threads.borrow_mut();
        let c = &mut threads[cur.index()].clock;
        c.set_site(cur, site);
        Cell { write: (cur, c.entry(cur)), write_kind: WriteKind::Allocate, reads: Reads::None, atomic: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_ir::{FnId, SpanId};

    const T0: ThreadId = ThreadId(0);
    const T1: ThreadId = ThreadId(1);
    const T2: ThreadId = ThreadId(2);
    const S: Site = (FnId(0), SpanId(1));

    fn read() -> AccessKind {
        AccessKind::Read { retag: false }
    }
    fn write() -> AccessKind {
        AccessKind::Write(WriteKind::Write)
    }

    fn two_threads() -> RaceDetector {
        let mut d = RaceDetector::new();
        d.thread_created(T0, T1);
        d.thread_created(T0, T2);
        d
    }

    #[test]
    fn unordered_write_and_read_race() {
        let d = two_threads();
        let mut m = RangeMap::new(8, Cell::before_everything());
        d.set_active(T1);
        d.na_access(&mut m, 0, 4, write(), S).unwrap();
        d.set_active(T2);
        let r = d.na_access(&mut m, 2, 2, read(), S).unwrap_err();
        assert_eq!(
            r.msg,
            "Data race detected between (1) non-atomic write on thread `unnamed-1` and (2) non-atomic read on thread `unnamed-2`"
        );
        d.na_access(&mut m, 4, 4, write(), S).expect("other bytes are fine");
    }

    #[test]
    fn what_happened_before_the_spawn_does_not_race() {
        let mut d = RaceDetector::new();
        let mut m = RangeMap::new(8, Cell::before_everything());
        d.na_access(&mut m, 0, 8, write(), S).unwrap();
        d.thread_created(T0, T1);
        d.set_active(T1);
        d.na_access(&mut m, 0, 8, write(), S).unwrap();
        d.set_active(T0);
        assert!(d.na_access(&mut m, 0, 8, read(), S).is_err(), "but the parent's later read races with the child's write");
    }

    #[test]
    fn concurrent_reads_are_fine_but_a_later_write_races_with_each() {
        let d = two_threads();
        let mut m = RangeMap::new(8, Cell::before_everything());
        d.set_active(T1);
        d.na_access(&mut m, 0, 8, read(), S).unwrap();
        d.set_active(T2);
        d.na_access(&mut m, 0, 8, read(), S).unwrap();
        d.set_active(T0);
        let r = d.na_access(&mut m, 0, 8, write(), S).unwrap_err();
        assert!(r.msg.starts_with("Data race detected between (1) non-atomic read on thread `unnamed-1`"), "{}", r.msg);
    }

    #[test]
    fn release_acquire_orders_and_relaxed_does_not() {
        for (store, load, races) in [
            (AtomicOrd::Release, AtomicOrd::Acquire, false),
            (AtomicOrd::Relaxed, AtomicOrd::Acquire, true),
            (AtomicOrd::Release, AtomicOrd::Relaxed, true),
        ] {
            let d = two_threads();
            let mut data = RangeMap::new(4, Cell::before_everything());
            let mut flag = RangeMap::new(4, Cell::before_everything());
            d.set_active(T1);
            d.na_access(&mut data, 0, 4, write(), S).unwrap();
            d.atomic_access(&mut flag, 0, 4, AccessKind::AtomicStore, store, S, None).unwrap();
            d.set_active(T2);
            d.atomic_access(&mut flag, 0, 4, AccessKind::AtomicLoad, load, S, None).unwrap();
            assert_eq!(d.na_access(&mut data, 0, 4, read(), S).is_err(), races, "{store:?} store, {load:?} load");
        }
    }

    #[test]
    fn fences_synchronize_relaxed_accesses() {
        let mut d = two_threads();
        let mut data = RangeMap::new(4, Cell::before_everything());
        let mut flag = RangeMap::new(4, Cell::before_everything());
        d.set_active(T1);
        d.na_access(&mut data, 0, 4, write(), S).unwrap();
        d.fence(AtomicOrd::Release);
        d.atomic_access(&mut flag, 0, 4, AccessKind::AtomicStore, AtomicOrd::Relaxed, S, None).unwrap();
        d.set_active(T2);
        d.atomic_access(&mut flag, 0, 4, AccessKind::AtomicLoad, AtomicOrd::Relaxed, S, None).unwrap();
        assert!(d.na_access(&mut data.clone(), 0, 4, read(), S).is_err(), "no acquire fence yet");
        d.fence(AtomicOrd::Acquire);
        d.na_access(&mut data, 0, 4, read(), S).unwrap();
    }

    #[test]
    fn atomic_and_non_atomic_accesses_race() {
        let d = two_threads();
        let mut m = RangeMap::new(4, Cell::before_everything());
        d.set_active(T1);
        d.atomic_access(&mut m, 0, 4, AccessKind::AtomicStore, AtomicOrd::SeqCst, S, None).unwrap();
        d.set_active(T2);
        let r = d.na_access(&mut m, 0, 4, read(), S).unwrap_err();
        assert!(r.msg.contains("(1) atomic store on thread `unnamed-1` and (2) non-atomic read"), "{}", r.msg);
    }

    #[test]
    fn mixed_size_atomics_race_unless_ordered() {
        let d = two_threads();
        let mut m = RangeMap::new(4, Cell::before_everything());
        d.set_active(T1);
        d.atomic_access(&mut m, 0, 4, AccessKind::AtomicStore, AtomicOrd::SeqCst, S, None).unwrap();
        d.set_active(T2);
        let r = d.atomic_access(&mut m, 0, 2, AccessKind::AtomicLoad, AtomicOrd::SeqCst, S, None).unwrap_err();
        assert_eq!(r.extra, Some("overlapping unsynchronized atomic accesses must use the same access size"));
        assert!(r.msg.starts_with("Race condition detected between (1) 4-byte atomic store"), "{}", r.msg);
    }

    #[test]
    fn ended_threads_indices_are_reused_once_everyone_knows_them() {
        let mut d = RaceDetector::new();
        let mut m = RangeMap::new(4, Cell::before_everything());
        d.thread_created(T0, T1);
        d.set_active(T1);
        d.na_access(&mut m, 0, 4, write(), S).unwrap();
        d.thread_terminated(T1);
        d.set_active(T0);
        // Not joined yet: T1's index stays taken.
        let (t3, t4) = (ThreadId(3), ThreadId(4));
        d.thread_created(T0, T2);
        assert_eq!(d.idx(T2), VectorIdx(2));
        assert!(!d.thread_joined(T1, 2), "T2 still runs");
        // T2 does not know T1's history (it started before the join): still no reuse.
        d.thread_created(T0, t3);
        assert_eq!(d.idx(t3), VectorIdx(3));
        d.set_active(T2);
        d.thread_terminated(T2);
        d.set_active(t3);
        d.thread_terminated(t3);
        d.set_active(T0);
        d.thread_joined(T2, 1);
        assert!(d.thread_joined(t3, 1), "everyone's history is known now");
        d.thread_created(T0, t4);
        assert_eq!(d.idx(t4), VectorIdx(1), "the first free index everyone knows");
        d.set_active(t4);
        d.na_access(&mut m, 0, 4, write(), S).expect("T1's write happened before the new thread");
        let t5 = ThreadId(5);
        d.set_active(T0);
        d.thread_created(T0, t5);
        d.set_active(t5);
        let r = d.na_access(&mut m, 0, 4, read(), S).unwrap_err();
        assert!(r.msg.contains("(1) non-atomic write on thread `unnamed-4`"), "{}", r.msg);
    }

    #[test]
    fn a_detached_thread_keeps_checking_on() {
        let mut d = RaceDetector::new();
        d.thread_created(T0, T1);
        d.thread_created(T0, T2);
        d.set_active(T1);
        d.thread_terminated(T1);
        d.set_active(T2);
        d.thread_terminated(T2);
        d.set_active(T0);
        assert!(!d.thread_joined(T2, 1), "T1 ended but nobody joined it: its history is unknown");
    }

    #[test]
    fn join_orders_everything_the_thread_did() {
        let mut d = two_threads();
        let mut m = RangeMap::new(4, Cell::before_everything());
        d.set_active(T1);
        d.na_access(&mut m, 0, 4, write(), S).unwrap();
        d.thread_terminated(T1);
        d.set_active(T0);
        assert!(!d.thread_joined(T1, 2), "T2 is still running");
        d.na_access(&mut m, 0, 4, write(), S).unwrap();
    }
}
