//! Atomic memory operations: the value moves through memory like any access (without the
//! non-atomic race check), and the data-race detector records it as atomic with its
//! ordering. Alignment and read-only memory are checked as atomics require.

use vigil_ir::{AtomicOp, AtomicOrd, IntTy};

use super::data_race::AccessKind;
use crate::arith::{sign_extend, truncate};
use crate::error::Res;
use crate::memory::{Prov, Ptr};
use crate::Machine;

impl Machine<'_> {
    /// Moves bytes with the non-atomic race check off (the caller checks the access as
    /// atomic).
    fn without_race_check<R>(&mut self, f: impl FnOnce(&mut Self) -> Res<R>) -> Res<R> {
        let on = std::mem::replace(&mut self.mem.race_on, false);
        let r = f(self);
        self.mem.race_on = on;
        r
    }

    /// An atomic load of `size` bytes.
    pub(crate) fn atomic_load(&mut self, p: Ptr, size: u64, ord: AtomicOrd) -> Res<(u128, Prov)> {
        self.mem.atomic_check(p, size, AccessKind::AtomicLoad, ord)?;
        self.without_race_check(|m| m.mem.read_scalar(p, size))
    }

    /// An atomic load of `size` bytes into the scratch buffer (any size, e.g. 16 bytes).
    pub(crate) fn atomic_load_scratch(&mut self, p: Ptr, size: u64, ord: AtomicOrd) -> Res<()> {
        self.mem.atomic_check(p, size, AccessKind::AtomicLoad, ord)?;
        self.without_race_check(|m| m.load_loc(crate::Loc::Mem(p), size))
    }

    pub(crate) fn atomic_store(&mut self, p: Ptr, size: u64, v: u128, prov: Prov, ord: AtomicOrd) -> Res<()> {
        self.mem.atomic_check(p, size, AccessKind::AtomicStore, ord)?;
        self.without_race_check(|m| m.mem.write_scalar(p, size, v, prov))
    }

    /// A read-modify-write; returns the old value.
    pub(crate) fn atomic_rmw(&mut self, p: Ptr, op: AtomicOp, ty: IntTy, v: u128, vprov: Prov, ord: AtomicOrd) -> Res<(u128, Prov)> {
        let size = ty.size as u64;
        self.mem.atomic_check(p, size, AccessKind::AtomicRmw, ord)?;
        self.without_race_check(|m| {
            let (old, oldprov) = m.mem.read_scalar(p, size)?;
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
            m.mem.write_scalar(p, size, new, new_prov)?;
            Ok((old, oldprov))
        })
    }

    /// A compare-exchange; returns the old value and whether it stored. A weak one fails
    /// spuriously at the configured rate.
    pub(crate) fn atomic_cxchg(&mut self, p: Ptr, ty: IntTy, expected: u128, new: u128, newprov: Prov, success: AtomicOrd, failure: AtomicOrd, weak: bool) -> Res<(u128, Prov, bool)> {
        let size = ty.size as u64;
        // Even a failing compare-exchange needs writable memory.
        self.mem.atomic_precheck(p, size, AccessKind::AtomicRmw, success)?;
        let (old, oldprov) = self.without_race_check(|m| m.mem.read_scalar(p, size))?;
        let ok = old == expected && !(weak && self.sched.rng.chance(self.sched.config.cmpxchg_weak_failure_rate));
        if ok {
            self.mem.atomic_race(p, size, AccessKind::AtomicRmw, success)?;
            self.without_race_check(|m| m.mem.write_scalar(p, size, new, newprov))?;
        } else {
            self.mem.atomic_race(p, size, AccessKind::AtomicLoad, failure)?;
        }
        Ok((old, oldprov, ok))
    }

    pub(crate) fn atomic_fence(&mut self, ord: AtomicOrd) {
        self.mem.race_fence(ord);
    }
}
