//! The data-race detector's part of memory: the race checks of non-atomic and atomic
//! accesses and of retags, and the threads' synchronization it tracks.

use super::{Allocation, Memory, Ptr};
use crate::borrows::range_map::RangeMap;
use crate::concurrency::ThreadId;
use crate::concurrency::data_race;
use crate::concurrency::vector_clock::VClock;
use crate::error::{Error, Res};

impl Memory {
    /// A non-atomic access of `[off, off+size)` of allocation `a` (number `id`), checked for
    /// races with the other threads.
    #[cold]
    #[inline(never)]
    pub(crate) fn race_na(&self, a: &Allocation, id: u32, off: u64, size: u64, kind: data_race::AccessKind) -> Res<()> {
        let det = self.race.as_ref().unwrap();
        if !matches!(kind, data_race::AccessKind::Read { .. }) {
            // A non-atomic write ends the atomic life of the bytes it overwrites.
            if let Some(w) = a.weak.borrow_mut().as_mut() {
                w.remove_overlapping(off, size);
            }
        }
        let mut cells = a.race.borrow_mut();
        let cells = cells.get_or_insert_with(|| RangeMap::new(a.size, data_race::Cell::before_everything()));
        det.na_access(cells, off, size, kind, self.site.get()).map_err(|r| race_error(r, id, off))
    }

    /// The access a retag makes, for the race detector.
    pub(crate) fn race_retag(&self, id: u32, off: u64, size: u64, write: bool) -> Res<()> {
        let a = &self.allocs[id as usize];
        let kind = if write {
            data_race::AccessKind::Write(data_race::WriteKind::RetagWrite)
        } else {
            data_race::AccessKind::Read { retag: true }
        };
        self.race_na(a, id, off, size, kind)
    }

    /// The race-detector side of an atomic access (the bytes are moved separately, without
    /// the non-atomic check); also checks alignment and mutability as atomics require.
    pub fn atomic_check(&self, ptr: Ptr, size: u64, kind: data_race::AccessKind, ord: vigil_ir::AtomicOrd) -> Res<()> {
        self.atomic_precheck(ptr, size, kind, ord)?;
        self.atomic_race(ptr, size, kind, ord, None)
    }

    /// What an atomic access needs besides what every access needs: alignment to its size,
    /// and writable memory (except for small relaxed loads).
    pub fn atomic_precheck(&self, ptr: Ptr, size: u64, kind: data_race::AccessKind, ord: vigil_ir::AtomicOrd) -> Res<()> {
        if self.alignment_check {
            let have = self.known_align(ptr);
            if have < size {
                return Err(Error::ub(format!("accessing memory with alignment {have}, but alignment {size} is required")));
            }
        }
        if ptr.prov.is_some() {
            let a = &self.allocs[ptr.prov.alloc as usize];
            if a.live && !a.mutable {
                let msg = match kind {
                    data_race::AccessKind::AtomicLoad if size > 8 => Some(
                        "large atomic load operations cannot be performed on read-only memory\nthese operations often have to be implemented using read-modify-write operations, which require writeable memory",
                    ),
                    data_race::AccessKind::AtomicLoad if ord != vigil_ir::AtomicOrd::Relaxed => Some(
                        "non-relaxed atomic load operations cannot be performed on read-only memory\nthese operations sometimes have to be implemented using read-modify-write operations, which require writeable memory",
                    ),
                    data_race::AccessKind::AtomicLoad => None,
                    _ => Some("atomic store and read-modify-write operations cannot be performed on read-only memory"),
                };
                if let Some(m) = msg {
                    return Err(Error::ub(format!("{m}\nsee <https://doc.rust-lang.org/nightly/std/sync/atomic/index.html#atomic-accesses-to-read-only-memory> for more information")).about(ptr.prov.alloc));
                }
            }
        }
        Ok(())
    }

    /// The race detector's record of an atomic access.
    pub fn atomic_race(
        &self,
        ptr: Ptr,
        size: u64,
        kind: data_race::AccessKind,
        ord: vigil_ir::AtomicOrd,
        sync: Option<&VClock>,
    ) -> Res<()> {
        if !self.race_on {
            return Ok(());
        }
        // Bounds and liveness first (the access itself reports those).
        let (id, off) = self.check_no_race(ptr, size, false)?;
        if size == 0 {
            return Ok(());
        }
        let a = &self.allocs[id as usize];
        let det = self.race.as_ref().unwrap();
        let mut cells = a.race.borrow_mut();
        let cells = cells.get_or_insert_with(|| RangeMap::new(a.size, data_race::Cell::before_everything()));
        det.atomic_access(cells, off as u64, size, kind, ord, self.site.get(), sync).map_err(|r| race_error(r, id, off as u64))
    }

    /// `check` without the race check (for the race detector's own bounds checks).
    fn check_no_race(&self, ptr: Ptr, size: u64, write: bool) -> Res<(u32, usize)> {
        let ptr = self.resolve_wildcard(ptr, size);
        if size == 0 || ptr.prov.alloc == 0 {
            return self.check(ptr, size, write);
        }
        let a = &self.allocs[ptr.prov.alloc as usize];
        let off = ptr.addr.wrapping_sub(a.base);
        if !a.live || off > a.size || a.size - off < size {
            return self.check(ptr, size, write);
        }
        Ok((ptr.prov.alloc, off as usize))
    }

    pub fn race_set_active(&mut self, t: ThreadId) {
        self.active_thread = t;
        if let Some(r) = &self.race {
            r.set_active(t);
        }
    }

    /// A second (or later) thread was created: races are possible from now on.
    pub fn race_thread_created(&mut self, parent: ThreadId, child: ThreadId) {
        if let Some(r) = &mut self.race {
            r.thread_created(parent, child);
            self.race_on = true;
        }
    }

    pub fn race_thread_terminated(&mut self, t: ThreadId) {
        if let Some(r) = &mut self.race {
            r.thread_terminated(t);
        }
    }

    /// The running thread joined `t`; once it knows every thread's history, checking stops
    /// until the next thread is created.
    pub fn race_thread_joined(&mut self, t: ThreadId, live_threads: usize) {
        if let Some(r) = &mut self.race
            && r.thread_joined(t, live_threads)
        {
            self.race_on = false;
            // Every store happened before the running thread: only the latest of each
            // location can be read from now on (and stores while checking is off are
            // not buffered).
            for a in &self.allocs {
                *a.weak.borrow_mut() = None;
            }
        }
    }

    pub fn race_set_thread_name(&mut self, t: ThreadId, name: String) {
        if let Some(r) = &mut self.race {
            r.set_name(t, name);
        }
    }

    /// The running thread synchronizes with `clock`.
    pub fn race_acquire(&mut self, clock: &VClock) {
        if let (Some(r), true) = (&self.race, self.race_on) {
            r.acquire(clock);
        }
    }

    /// What a release by the running thread publishes (empty while races are not tracked).
    pub fn race_release(&mut self) -> VClock {
        match (&self.race, self.race_on) {
            (Some(r), true) => r.release(),
            _ => VClock::default(),
        }
    }

    /// A fence of the running thread.
    pub fn race_fence(&mut self, ord: vigil_ir::AtomicOrd) {
        if let (Some(r), true) = (&mut self.race, self.race_on) {
            r.fence(ord);
        }
    }
}

/// The report of a data race at `off` of allocation `id`.
#[cold]
fn race_error(r: data_race::Race, id: u32, off: u64) -> Error {
    let at = if off == 0 { format!("alloc{id}") } else { format!("alloc{id}+0x{off:x}") };
    let mut e = Error::new(crate::error::ErrorKind::DataRace { msg: format!("{} at {at}", r.msg), extra: r.extra });
    e.history.push(("and (1) occurred earlier here".into(), (r.earlier.0.0 != u32::MAX).then_some(r.earlier)));
    if r.retag {
        e.history.push(("retags occur on all (re)borrows and as well as when references are copied or moved".into(), None));
        e.history.push(("retags permit optimizations that insert speculative reads or writes".into(), None));
        e.history.push(("therefore from the perspective of data races, a retag has the same implications as a read or write".into(), None));
    }
    e
}
