//! Synchronization calls: the Linux futex (`syscall(SYS_futex, ...)`, which carries std's
//! locks, condition variables, `Once` and thread parking) and the pthread mutexes, rwlocks
//! and condition variables that libraries use directly. The objects' state lives in
//! `concurrency::sync`, by address; these shims read the arguments, block and wake.

use vigil_ir::{AtomicOrd, SyncShim};

use crate::Machine;
use crate::concurrency::sync::{Condvar, Mutex, MutexKind, Unlocked};
use crate::concurrency::{BlockReason, CallReturn, Resume, Unblock};
use crate::error::{Error, ErrorKind, Res};
use crate::memory::{Prov, Ptr};

const EPERM: i64 = 1;
const EAGAIN: i32 = 11;
const EBUSY: i64 = 16;
const EINVAL: i32 = 22;
const EDEADLK: i64 = 35;
const ETIMEDOUT: i32 = 110;

const FUTEX_WAIT: i32 = 0;
const FUTEX_WAKE: i32 = 1;
const FUTEX_WAIT_BITSET: i32 = 9;
const FUTEX_WAKE_BITSET: i32 = 10;
const FUTEX_PRIVATE_FLAG: i32 = 128;
const FUTEX_CLOCK_REALTIME: i32 = 256;

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;

/// glibc's `__kind` field of `pthread_mutex_t`, which the static initializers set.
const MUTEX_KIND_OFFSET: u64 = 16;
/// What `pthread_mutexattr_init` stores: no type chosen (a default mutex).
const MUTEXATTR_DEFAULT: u32 = 0x0800_0000;

impl Machine<'_> {
    /// `syscall(SYS_futex, addr, op, val, timeout, uaddr2, val3)`.
    pub(crate) fn futex(&mut self, ret: CallReturn) -> Res<()> {
        if self.arg_ranges.len() < 4 {
            return Err(Error::ub("incorrect number of arguments for `syscall(SYS_futex, ...)`: got fewer than 3"));
        }
        let (addr, op, val) = (self.arg_ptr(1), self.arg_u64(2) as i32, self.arg_u64(3) as u32);
        let cmd = op & !FUTEX_PRIVATE_FLAG;
        match cmd & !FUTEX_CLOCK_REALTIME {
            FUTEX_WAIT | FUTEX_WAIT_BITSET => {
                let bitset_op = cmd & !FUTEX_CLOCK_REALTIME == FUTEX_WAIT_BITSET;
                let bitset = if bitset_op { self.opt_arg_u64(6).unwrap_or(u32::MAX as u64) as u32 } else { u32::MAX };
                if bitset == 0 {
                    self.set_errno(EINVAL)?;
                    return self.complete_call(ret, -1);
                }
                let timeout = self.opt_arg_ptr(4).filter(|p| p.addr != 0);
                let deadline = match timeout {
                    None => None,
                    Some(p) => {
                        let Some(d) = self.read_timespec(p)? else {
                            self.set_errno(EINVAL)?;
                            return self.complete_call(ret, -1);
                        };
                        Some(match (bitset_op, cmd & FUTEX_CLOCK_REALTIME != 0) {
                            (false, _) => self.now_nanos().saturating_add(d),
                            (true, false) => self.virtual_from_monotonic(d),
                            (true, true) => self.virtual_from_realtime(d),
                        })
                    }
                };
                // The SeqCst fences in wait and wake order the value check with the waker's
                // update; the read is an acquire load.
                self.mem.race_fence(AtomicOrd::SeqCst);
                let (cur, _) = self.atomic_load(addr, 4, AtomicOrd::Acquire)?;
                if cur as u32 != val {
                    self.set_errno(EAGAIN)?;
                    return self.complete_call(ret, -1);
                }
                let me = self.threads.active;
                self.sync.futexes.entry(addr.addr).or_default().waiters.push_back((me, bitset));
                self.block_current(
                    BlockReason::Futex(addr.addr),
                    deadline,
                    Resume::Value { ret, ready: 0, timed_out: Some((-1, Some(ETIMEDOUT))) },
                );
                Ok(())
            }
            FUTEX_WAKE | FUTEX_WAKE_BITSET => {
                let bitset = if cmd == FUTEX_WAKE_BITSET { self.opt_arg_u64(6).unwrap_or(u32::MAX as u64) as u32 } else { u32::MAX };
                if bitset == 0 {
                    self.set_errno(EINVAL)?;
                    return self.complete_call(ret, -1);
                }
                self.mem.race_fence(AtomicOrd::SeqCst);
                let clock = self.mem.race_release();
                if let Some(f) = self.sync.futexes.get_mut(&addr.addr) {
                    f.clock = clock.clone();
                }
                let woken = self.sync.futex_wake(addr.addr, bitset, val.min(i32::MAX as u32) as usize);
                for &t in &woken {
                    self.unblock(t, Unblock::Ready, Some(&clock))?;
                }
                self.complete_call(ret, woken.len() as i64)
            }
            _ => Err(Error::unsupported(format!("`futex` syscall with op={op}"))),
        }
    }

    /// Handles the pthread mutex, rwlock and condition variable shims.
    pub(crate) fn pthread_sync_shim(&mut self, shim: SyncShim, ret: CallReturn) -> Res<()> {
        use SyncShim::*;
        let me = self.threads.active;
        match shim {
            PthreadMutexattrInit => {
                self.mem.write_scalar(self.arg_ptr(0), 4, MUTEXATTR_DEFAULT as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadMutexattrSettype => {
                let kind = self.arg_u64(1) as u32;
                if kind > 3 {
                    return self.complete_call(ret, EINVAL as i64);
                }
                self.mem.write_scalar(self.arg_ptr(0), 4, kind as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadMutexattrGettype => {
                let (k, _) = self.mem.read_scalar(self.arg_ptr(0), 4)?;
                let k = if k as u32 == MUTEXATTR_DEFAULT { 0 } else { k };
                self.mem.write_scalar(self.arg_ptr(1), 4, k, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadMutexattrDestroy | PthreadCondattrDestroy => self.complete_call(ret, 0),
            PthreadMutexInit => {
                let (m, attr) = (self.arg_ptr(0), self.arg_ptr(1));
                let kind = if attr.addr == 0 {
                    MutexKind::Default
                } else {
                    match self.mem.read_scalar(attr, 4)?.0 as u32 {
                        MUTEXATTR_DEFAULT => MutexKind::Default,
                        1 => MutexKind::Recursive,
                        2 => MutexKind::ErrorCheck,
                        _ => MutexKind::Normal,
                    }
                };
                self.mem.write(m, &[0u8; 4], &[])?;
                self.sync.mutexes.insert(m.addr, Mutex::new(kind));
                self.complete_call(ret, 0)
            }
            PthreadMutexLock | PthreadMutexTrylock => {
                let m = self.arg_ptr(0);
                self.mutex_known(m)?;
                if self.sync.mutex_try_lock(m.addr, me) {
                    let clock = self.sync.mutexes[&m.addr].clock.clone();
                    self.mem.race_acquire(&clock);
                    return self.complete_call(ret, 0);
                }
                let mutex = &self.sync.mutexes[&m.addr];
                if shim == PthreadMutexTrylock {
                    return self.complete_call(ret, EBUSY);
                }
                if mutex.owner == Some(me) {
                    return match mutex.kind {
                        MutexKind::Default => Err(Error::ub("trying to acquire default mutex already locked by the current thread")),
                        MutexKind::Normal => Err(Error::new(ErrorKind::LocalDeadlock)),
                        MutexKind::ErrorCheck => self.complete_call(ret, EDEADLK),
                        MutexKind::Recursive => unreachable!("a recursive mutex relocks"),
                    };
                }
                self.sync.mutexes.get_mut(&m.addr).unwrap().queue.push_back(me);
                self.block_current(BlockReason::Mutex(m.addr), None, Resume::Value { ret, ready: 0, timed_out: None });
                Ok(())
            }
            PthreadMutexUnlock => {
                let m = self.arg_ptr(0);
                self.mutex_known(m)?;
                match self.mutex_unlock(m.addr)? {
                    true => self.complete_call(ret, 0),
                    false => match self.sync.mutexes[&m.addr].kind {
                        MutexKind::Default => Err(Error::ub("unlocked a default mutex that was not locked by the current thread")),
                        MutexKind::Normal => {
                            Err(Error::ub("unlocked a PTHREAD_MUTEX_NORMAL mutex that was not locked by the current thread"))
                        }
                        MutexKind::ErrorCheck | MutexKind::Recursive => self.complete_call(ret, EPERM),
                    },
                }
            }
            PthreadMutexDestroy => {
                let m = self.arg_ptr(0);
                self.mutex_known(m)?;
                if self.sync.mutexes[&m.addr].owner.is_some() {
                    return Err(Error::ub("destroyed a locked mutex"));
                }
                self.sync.mutexes.remove(&m.addr);
                self.complete_call(ret, 0)
            }
            PthreadRwlockInit => {
                let l = self.arg_ptr(0);
                self.mem.write(l, &[0u8; 4], &[])?;
                self.sync.rwlocks.insert(l.addr, Default::default());
                self.complete_call(ret, 0)
            }
            PthreadRwlockRdlock | PthreadRwlockTryrdlock => {
                let l = self.arg_ptr(0);
                if self.sync.rwlock_try_read(l.addr, me) {
                    let clock = self.sync.rwlocks[&l.addr].clock_unlocked.clone();
                    self.mem.race_acquire(&clock);
                    return self.complete_call(ret, 0);
                }
                if shim == PthreadRwlockTryrdlock {
                    return self.complete_call(ret, EBUSY);
                }
                self.sync.rwlocks.get_mut(&l.addr).unwrap().reader_queue.push_back(me);
                self.block_current(BlockReason::RwLock(l.addr), None, Resume::Value { ret, ready: 0, timed_out: None });
                Ok(())
            }
            PthreadRwlockWrlock | PthreadRwlockTrywrlock => {
                let l = self.arg_ptr(0);
                if self.sync.rwlock_try_write(l.addr, me) {
                    let clock = self.sync.rwlocks[&l.addr].clock_unlocked.clone();
                    self.mem.race_acquire(&clock);
                    return self.complete_call(ret, 0);
                }
                if shim == PthreadRwlockTrywrlock {
                    return self.complete_call(ret, EBUSY);
                }
                if self.sync.rwlocks[&l.addr].writer == Some(me) {
                    return self.complete_call(ret, EDEADLK);
                }
                self.sync.rwlocks.get_mut(&l.addr).unwrap().writer_queue.push_back(me);
                self.block_current(BlockReason::RwLock(l.addr), None, Resume::Value { ret, ready: 0, timed_out: None });
                Ok(())
            }
            PthreadRwlockUnlock => {
                let l = self.arg_ptr(0);
                let clock = self.mem.race_release();
                let Some((handed, was_writer)) = self.sync.rwlock_unlock(l.addr, me) else {
                    return Err(Error::ub("unlocked an rwlock that was not locked by the active thread"));
                };
                let lock = self.sync.rwlocks.get_mut(&l.addr).unwrap();
                if was_writer {
                    lock.clock_unlocked = clock;
                } else {
                    lock.clock_readers.join(&clock);
                    if !lock.is_locked() || lock.writer.is_some() {
                        // The last reader left: the next holder sees all the readers.
                        lock.clock_unlocked = std::mem::take(&mut lock.clock_readers);
                    }
                }
                let unlocked = lock.clock_unlocked.clone();
                for t in handed {
                    self.unblock(t, Unblock::Ready, Some(&unlocked))?;
                }
                self.complete_call(ret, 0)
            }
            PthreadRwlockDestroy => {
                let l = self.arg_ptr(0);
                if self.sync.rwlocks.get(&l.addr).is_some_and(|r| r.is_locked()) {
                    return Err(Error::ub("destroyed a locked rwlock"));
                }
                self.sync.rwlocks.remove(&l.addr);
                self.complete_call(ret, 0)
            }
            PthreadCondattrInit => {
                self.mem.write_scalar(self.arg_ptr(0), 4, CLOCK_REALTIME as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadCondattrSetclock => {
                let clock = self.arg_u64(1) as i32;
                if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC {
                    return self.complete_call(ret, EINVAL as i64);
                }
                self.mem.write_scalar(self.arg_ptr(0), 4, clock as u128, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadCondattrGetclock => {
                let (c, _) = self.mem.read_scalar(self.arg_ptr(0), 4)?;
                self.mem.write_scalar(self.arg_ptr(1), 4, c, Prov::NONE)?;
                self.complete_call(ret, 0)
            }
            PthreadCondInit => {
                let (c, attr) = (self.arg_ptr(0), self.arg_ptr(1));
                let clock_id = if attr.addr == 0 { CLOCK_REALTIME } else { self.mem.read_scalar(attr, 4)?.0 as i32 };
                self.mem.write(c, &[0u8; 4], &[])?;
                self.sync.condvars.insert(c.addr, Condvar { clock_id, ..Default::default() });
                self.complete_call(ret, 0)
            }
            PthreadCondSignal | PthreadCondBroadcast => {
                let c = self.arg_ptr(0);
                let clock = self.mem.race_release();
                let cv = self.sync.condvars.entry(c.addr).or_default();
                cv.clock = clock.clone();
                let woken: Vec<_> =
                    if shim == PthreadCondSignal { cv.waiters.pop_front().into_iter().collect() } else { cv.waiters.drain(..).collect() };
                for t in woken {
                    self.unblock(t, Unblock::Ready, Some(&clock))?;
                }
                self.complete_call(ret, 0)
            }
            PthreadCondWait | PthreadCondTimedwait => {
                let (c, m) = (self.arg_ptr(0), self.arg_ptr(1));
                self.mutex_known(m)?;
                let deadline = if shim == PthreadCondTimedwait {
                    let Some(t) = self.read_timespec(self.arg_ptr(2))? else { return self.complete_call(ret, EINVAL as i64) };
                    let clock_id = self.sync.condvars.entry(c.addr).or_default().clock_id;
                    Some(if clock_id == CLOCK_MONOTONIC { self.virtual_from_monotonic(t) } else { self.virtual_from_realtime(t) })
                } else {
                    None
                };
                let mutex = &self.sync.mutexes[&m.addr];
                if mutex.owner != Some(me) {
                    return Err(Error::ub("awaiting a condvar on a mutex that is unlocked or owned by a different thread"));
                }
                if mutex.count != 1 {
                    return Err(Error::unsupported("awaiting a condvar on a mutex acquired multiple times is not supported"));
                }
                self.mutex_unlock(m.addr)?;
                self.sync.condvars.entry(c.addr).or_default().waiters.push_back(me);
                self.block_current(BlockReason::Condvar(c.addr), deadline, Resume::CondvarWait { ret, cond: c.addr, mutex: m.addr });
                Ok(())
            }
            PthreadCondDestroy => {
                let c = self.arg_ptr(0);
                if self.sync.condvars.get(&c.addr).is_some_and(|cv| !cv.waiters.is_empty()) {
                    return Err(Error::ub("destroying an awaited conditional variable"));
                }
                self.sync.condvars.remove(&c.addr);
                self.complete_call(ret, 0)
            }
        }
    }

    /// Registers a mutex first used without `pthread_mutex_init` (a static initializer
    /// chose its kind).
    fn mutex_known(&mut self, m: Ptr) -> Res<()> {
        if self.sync.mutexes.contains_key(&m.addr) {
            return Ok(());
        }
        let (k, _) = self.mem.read_scalar(m.offset(MUTEX_KIND_OFFSET), 4)?;
        let kind = match k as u32 {
            0 => MutexKind::Default,
            1 => MutexKind::Recursive,
            2 => MutexKind::ErrorCheck,
            3 => MutexKind::Normal,
            _ => return Err(Error::ub("`pthread_mutex_t` was not properly initialized at this location, or it got overwritten")),
        };
        self.sync.mutexes.insert(m.addr, Mutex::new(kind));
        Ok(())
    }

    /// Unlocks a pthread mutex held by the running thread, handing it to the next waiter.
    /// Returns false if the thread did not hold it.
    fn mutex_unlock(&mut self, addr: u64) -> Res<bool> {
        let me = self.threads.active;
        let held = self.sync.mutexes.get(&addr).is_some_and(|m| m.owner == Some(me));
        if !held {
            return Ok(false);
        }
        let clock = self.mem.race_release();
        let m = self.sync.mutexes.get_mut(&addr).unwrap();
        if m.count == 1 {
            m.clock = clock;
        }
        if let Unlocked::Released(Some(next)) = self.sync.mutex_unlock(addr, me) {
            let clock = self.sync.mutexes[&addr].clock.clone();
            self.unblock(next, Unblock::Ready, Some(&clock))?;
        }
        Ok(true)
    }
}
