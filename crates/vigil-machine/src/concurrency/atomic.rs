//! Atomic memory operations: the value moves through memory like any access (without the
//! non-atomic race check), the data-race detector records it as atomic with its ordering,
//! and weak memory keeps the location's stores so that loads may read older ones.
//! Alignment and read-only memory are checked as atomics require.

use vigil_ir::{AtomicOp, AtomicOrd, IntTy};

use super::data_race::{AccessKind, RaceDetector};
use super::vector_clock::VClock;
use super::weak_memory::Buffers;
use crate::Machine;
use crate::arith::{sign_extend, truncate};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr, UNINIT};

impl Machine<'_> {
    /// Moves bytes with the non-atomic race check off (the caller checks the access as
    /// atomic).
    fn without_race_check<R>(&mut self, f: impl FnOnce(&mut Self) -> Res<R>) -> Res<R> {
        let on = std::mem::replace(&mut self.mem.race_on, false);
        let r = f(self);
        self.mem.race_on = on;
        r
    }

    /// Whether stores are buffered now (weak memory is on and another thread may run).
    fn weak_memory_on(&self) -> bool {
        self.config.weak_memory && self.mem.race_on
    }

    /// Runs `f` on the store buffers of `p`'s allocation (made on first use) with the race
    /// detector and the random source; `p` must be in bounds.
    fn with_buffers<R>(&mut self, p: Ptr, f: impl FnOnce(&mut Buffers, u64, &RaceDetector, &mut super::scheduler::Rng) -> R) -> R {
        let a = self.mem.get(p.prov);
        let off = p.addr - a.base;
        let mut weak = a.weak.borrow_mut();
        let bufs = weak.get_or_insert_with(Default::default);
        f(bufs, off, self.mem.race.as_ref().unwrap(), &mut self.sched.rng)
    }

    /// The release clock of the location's latest store (after the race detector recorded it).
    fn latest_sync(&self, p: Ptr, size: u64) -> VClock {
        let a = self.mem.get(p.prov);
        let cells = a.race.borrow();
        cells.as_ref().map(|c| RaceDetector::latest_sync(c, p.addr - a.base, size)).unwrap_or_default()
    }

    /// An atomic load of `size` (at most 16) bytes.
    pub(crate) fn atomic_load(&mut self, p: Ptr, size: u64, ord: AtomicOrd) -> Res<(u128, Prov)> {
        self.mem.atomic_precheck(p, size, AccessKind::AtomicLoad, ord)?;
        let latest = self.without_race_check(|m| m.mem.read_scalar(p, size))?;
        if self.weak_memory_on() && size > 0 {
            let seqcst = ord == AtomicOrd::SeqCst;
            let chosen = self.with_buffers(p, |bufs, off, det, rng| {
                let b = bufs.get_mut(off, size)?;
                if seqcst {
                    det.sc_read();
                }
                Some(det.with_view(|v| b.load(&v, seqcst, rng)))
            });
            if let Some((val, sync)) = chosen {
                self.mem.atomic_race(p, size, AccessKind::AtomicLoad, ord, Some(&sync))?;
                return val.ok_or_else(|| Error::ub(UNINIT));
            }
        }
        self.mem.atomic_race(p, size, AccessKind::AtomicLoad, ord, None)?;
        Ok(latest)
    }

    pub(crate) fn atomic_store(&mut self, p: Ptr, size: u64, v: u128, prov: Prov, ord: AtomicOrd) -> Res<()> {
        self.mem.atomic_precheck(p, size, AccessKind::AtomicStore, ord)?;
        // The value a new store buffer starts from: what is there before this store.
        let before = if self.weak_memory_on() { self.without_race_check(|m| Ok(m.mem.read_scalar(p, size).ok()))? } else { None };
        self.without_race_check(|m| m.mem.write_scalar(p, size, v, prov))?;
        self.mem.atomic_race(p, size, AccessKind::AtomicStore, ord, None)?;
        if self.weak_memory_on() && size > 0 {
            self.buffer_store(p, size, (v, prov), ord, before, false);
        }
        Ok(())
    }

    /// Records a store in the location's buffer (`rmw`: it read the latest store first).
    fn buffer_store(&mut self, p: Ptr, size: u64, val: (u128, Prov), ord: AtomicOrd, before: Option<(u128, Prov)>, rmw: bool) {
        let sync = self.latest_sync(p, size);
        let seqcst = ord == AtomicOrd::SeqCst;
        if seqcst {
            self.mem.race.as_mut().unwrap().sc_write();
        }
        self.with_buffers(p, |bufs, off, det, _| {
            let b = bufs.get_or_insert(off, size, || before);
            if seqcst && rmw {
                det.sc_read();
            }
            det.with_view(|v| {
                if rmw {
                    b.load_latest(&v, seqcst);
                }
                b.store(&v, val, seqcst, sync)
            });
        });
    }

    /// A read-modify-write; returns the old value.
    pub(crate) fn atomic_rmw(&mut self, p: Ptr, op: AtomicOp, ty: IntTy, v: u128, vprov: Prov, ord: AtomicOrd) -> Res<(u128, Prov)> {
        let size = ty.size as u64;
        self.mem.atomic_precheck(p, size, AccessKind::AtomicRmw, ord)?;
        let (old, oldprov) = self.without_race_check(|m| m.mem.read_scalar(p, size))?;
        let bits = ty.bits();
        let new = match op {
            AtomicOp::Xchg => v,
            AtomicOp::Add => truncate(old.wrapping_add(v), bits),
            AtomicOp::Sub => truncate(old.wrapping_sub(v), bits),
            AtomicOp::And => old & v,
            AtomicOp::Nand => truncate(!(old & v), bits),
            AtomicOp::Or => old | v,
            AtomicOp::Xor => old ^ v,
            AtomicOp::Max | AtomicOp::Min => {
                let ord = if ty.signed { sign_extend(old, bits).cmp(&sign_extend(v, bits)) } else { old.cmp(&v) };
                let take_old = (op == AtomicOp::Max) == (ord == std::cmp::Ordering::Greater);
                if take_old { old } else { v }
            }
        };
        let new_prov = match op {
            AtomicOp::Xchg => vprov,
            _ => oldprov,
        };
        self.without_race_check(|m| m.mem.write_scalar(p, size, new, new_prov))?;
        self.mem.atomic_race(p, size, AccessKind::AtomicRmw, ord, None)?;
        if self.weak_memory_on() {
            self.buffer_store(p, size, (new, new_prov), ord, Some((old, oldprov)), true);
        }
        Ok((old, oldprov))
    }

    /// A compare-exchange; returns the old value and whether it stored. A weak one fails
    /// spuriously at the configured rate. A failing one is a load of the latest store.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn atomic_cxchg(
        &mut self,
        p: Ptr,
        ty: IntTy,
        expected: u128,
        new: u128,
        newprov: Prov,
        success: AtomicOrd,
        failure: AtomicOrd,
        weak: bool,
    ) -> Res<(u128, Prov, bool)> {
        let size = ty.size as u64;
        // Even a failing compare-exchange needs writable memory.
        self.mem.atomic_precheck(p, size, AccessKind::AtomicRmw, success)?;
        let (old, oldprov) = self.without_race_check(|m| m.mem.read_scalar(p, size))?;
        let ok = old == expected && !(weak && self.sched.rng.chance(self.sched.config.cmpxchg_weak_failure_rate));
        if ok {
            self.without_race_check(|m| m.mem.write_scalar(p, size, new, newprov))?;
            self.mem.atomic_race(p, size, AccessKind::AtomicRmw, success, None)?;
            if self.weak_memory_on() {
                self.buffer_store(p, size, (new, newprov), success, Some((old, oldprov)), true);
            }
        } else {
            self.mem.atomic_race(p, size, AccessKind::AtomicLoad, failure, None)?;
            if self.weak_memory_on() {
                let seqcst = failure == AtomicOrd::SeqCst;
                self.with_buffers(p, |bufs, off, det, _| {
                    if let Some(b) = bufs.get_mut(off, size) {
                        if seqcst {
                            det.sc_read();
                        }
                        det.with_view(|v| b.load_latest(&v, seqcst));
                    }
                });
            }
        }
        Ok((old, oldprov, ok))
    }

    pub(crate) fn atomic_fence(&mut self, ord: AtomicOrd) {
        self.mem.race_fence(ord);
    }
}
