//! Synchronization objects: futexes (which carry std's `Mutex`, `RwLock`, `Condvar`, `Once`
//! and thread parking on Linux) and the pthread mutexes, rwlocks and condition variables
//! libraries use directly. Each is identified by its address (addresses are never reused)
//! and carries the vector clock its releases publish to its acquires.
//!
//! These are plain state machines: an operation says which threads it hands the object to
//! or wakes; the machine blocks and unblocks them.

use std::collections::{HashMap, VecDeque};

use super::thread::ThreadId;
use super::vector_clock::VClock;

#[derive(Default)]
pub struct Futex {
    /// Waiting threads with their `FUTEX_WAIT_BITSET` masks, in arrival order.
    pub waiters: VecDeque<(ThreadId, u32)>,
    /// What the last wake published.
    pub clock: VClock,
}

/// The kinds of pthread mutex, with what relocking by the owner does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MutexKind {
    /// `PTHREAD_MUTEX_INITIALIZER` or no type set: relocking is undefined behavior.
    Default,
    /// `PTHREAD_MUTEX_NORMAL`: relocking deadlocks.
    Normal,
    /// `PTHREAD_MUTEX_ERRORCHECK`: relocking fails with `EDEADLK`.
    ErrorCheck,
    /// `PTHREAD_MUTEX_RECURSIVE`: relocking counts.
    Recursive,
}

pub struct Mutex {
    pub kind: MutexKind,
    pub owner: Option<ThreadId>,
    pub count: u32,
    pub queue: VecDeque<ThreadId>,
    /// What the last unlock published.
    pub clock: VClock,
}

impl Mutex {
    pub fn new(kind: MutexKind) -> Mutex {
        Mutex { kind, owner: None, count: 0, queue: VecDeque::new(), clock: VClock::default() }
    }
}

#[derive(Default)]
pub struct RwLock {
    pub writer: Option<ThreadId>,
    pub readers: HashMap<ThreadId, u32>,
    pub writer_queue: VecDeque<ThreadId>,
    pub reader_queue: VecDeque<ThreadId>,
    /// What the last writer (or the last group of readers) published at unlock.
    pub clock_unlocked: VClock,
    /// What the current readers have published so far.
    pub clock_readers: VClock,
}

impl RwLock {
    pub fn is_locked(&self) -> bool {
        self.writer.is_some() || !self.readers.is_empty()
    }
}

#[derive(Default)]
pub struct Condvar {
    /// The clock its timed waits measure deadlines on (`CLOCK_REALTIME` unless set).
    pub clock_id: i32,
    pub waiters: VecDeque<ThreadId>,
    /// What the last signal published.
    pub clock: VClock,
}

/// Every synchronization object of the program, by address.
#[derive(Default)]
pub struct SyncObjects {
    pub futexes: HashMap<u64, Futex>,
    pub mutexes: HashMap<u64, Mutex>,
    pub rwlocks: HashMap<u64, RwLock>,
    pub condvars: HashMap<u64, Condvar>,
}

/// What a mutex unlock did.
#[derive(Debug, PartialEq, Eq)]
pub enum Unlocked {
    /// The thread did not hold the mutex.
    NotOwner,
    /// Still held (a recursive mutex locked more than once).
    StillHeld,
    /// Released; the lock went to this waiting thread, if any.
    Released(Option<ThreadId>),
}

impl SyncObjects {
    /// Removes up to `count` waiters of the futex at `addr` whose masks meet `bitset`.
    pub fn futex_wake(&mut self, addr: u64, bitset: u32, count: usize) -> Vec<ThreadId> {
        let Some(f) = self.futexes.get_mut(&addr) else { return Vec::new() };
        let mut woken = Vec::new();
        f.waiters.retain(|&(t, mask)| {
            if woken.len() < count && mask & bitset != 0 {
                woken.push(t);
                false
            } else {
                true
            }
        });
        woken
    }

    /// Locks the mutex at `addr` for `t` if it is free (or `t` holds it recursively).
    /// Returns whether `t` holds it now.
    pub fn mutex_try_lock(&mut self, addr: u64, t: ThreadId) -> bool {
        let m = self.mutexes.get_mut(&addr).expect("mutex initialized by the caller");
        match m.owner {
            None => {
                m.owner = Some(t);
                m.count = 1;
                true
            }
            Some(o) if o == t && m.kind == MutexKind::Recursive => {
                m.count += 1;
                true
            }
            Some(_) => false,
        }
    }

    /// Unlocks the mutex at `addr` held by `t`; a waiting thread gets it.
    pub fn mutex_unlock(&mut self, addr: u64, t: ThreadId) -> Unlocked {
        let Some(m) = self.mutexes.get_mut(&addr) else { return Unlocked::NotOwner };
        if m.owner != Some(t) {
            return Unlocked::NotOwner;
        }
        m.count -= 1;
        if m.count > 0 {
            return Unlocked::StillHeld;
        }
        m.owner = None;
        let next = m.queue.pop_front();
        if let Some(n) = next {
            m.owner = Some(n);
            m.count = 1;
        }
        Unlocked::Released(next)
    }

    /// Read-locks the rwlock at `addr` for `t` unless a writer holds it.
    pub fn rwlock_try_read(&mut self, addr: u64, t: ThreadId) -> bool {
        let l = self.rwlocks.entry(addr).or_default();
        if l.writer.is_some() {
            return false;
        }
        *l.readers.entry(t).or_insert(0) += 1;
        true
    }

    /// Write-locks the rwlock at `addr` for `t` if nobody holds it.
    pub fn rwlock_try_write(&mut self, addr: u64, t: ThreadId) -> bool {
        let l = self.rwlocks.entry(addr).or_default();
        if l.is_locked() {
            return false;
        }
        l.writer = Some(t);
        true
    }

    /// Unlocks the rwlock at `addr` held by `t` (reader or writer). Returns `None` if `t`
    /// did not hold it, else the threads the lock was handed to (a writer, or all queued
    /// readers), and whether `t` was the writer.
    pub fn rwlock_unlock(&mut self, addr: u64, t: ThreadId) -> Option<(Vec<ThreadId>, bool)> {
        let l = self.rwlocks.get_mut(&addr)?;
        let was_writer = if l.writer == Some(t) {
            l.writer = None;
            true
        } else {
            let n = l.readers.get_mut(&t)?;
            *n -= 1;
            if *n == 0 {
                l.readers.remove(&t);
            }
            false
        };
        let mut handed = Vec::new();
        if !l.is_locked() {
            // Writers first (readers and writers can starve each other, as in glibc's default).
            if let Some(w) = l.writer_queue.pop_front() {
                l.writer = Some(w);
                handed.push(w);
            } else {
                for r in std::mem::take(&mut l.reader_queue) {
                    *l.readers.entry(r).or_insert(0) += 1;
                    handed.push(r);
                }
            }
        }
        Some((handed, was_writer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ThreadId = ThreadId(1);
    const B: ThreadId = ThreadId(2);
    const C: ThreadId = ThreadId(3);

    #[test]
    fn futex_wake_respects_count_order_and_bitsets() {
        let mut s = SyncObjects::default();
        let f = s.futexes.entry(64).or_default();
        f.waiters.extend([(A, u32::MAX), (B, 0b01), (C, 0b10)]);
        assert_eq!(s.futex_wake(64, 0b10, 1), vec![A]);
        assert_eq!(s.futex_wake(64, 0b10, 5), vec![C]);
        assert_eq!(s.futex_wake(64, u32::MAX, i32::MAX as usize), vec![B]);
        assert!(s.futex_wake(64, u32::MAX, 1).is_empty());
        assert!(s.futex_wake(128, u32::MAX, 1).is_empty(), "nobody waits on another address");
    }

    #[test]
    fn mutex_hands_over_to_the_first_waiter() {
        let mut s = SyncObjects::default();
        s.mutexes.insert(8, Mutex::new(MutexKind::Normal));
        assert!(s.mutex_try_lock(8, A));
        assert!(!s.mutex_try_lock(8, B));
        assert!(!s.mutex_try_lock(8, A), "a normal mutex is not recursive");
        s.mutexes.get_mut(&8).unwrap().queue.extend([B, C]);
        assert_eq!(s.mutex_unlock(8, B), Unlocked::NotOwner);
        assert_eq!(s.mutex_unlock(8, A), Unlocked::Released(Some(B)));
        assert_eq!(s.mutexes[&8].owner, Some(B));
        assert_eq!(s.mutex_unlock(8, B), Unlocked::Released(Some(C)));
        assert_eq!(s.mutex_unlock(8, C), Unlocked::Released(None));
        assert_eq!(s.mutexes[&8].owner, None);
    }

    #[test]
    fn recursive_mutex_counts() {
        let mut s = SyncObjects::default();
        s.mutexes.insert(8, Mutex::new(MutexKind::Recursive));
        assert!(s.mutex_try_lock(8, A));
        assert!(s.mutex_try_lock(8, A));
        assert_eq!(s.mutex_unlock(8, A), Unlocked::StillHeld);
        assert_eq!(s.mutex_unlock(8, A), Unlocked::Released(None));
    }

    #[test]
    fn rwlock_readers_share_and_writers_go_first() {
        let mut s = SyncObjects::default();
        assert!(s.rwlock_try_read(16, A));
        assert!(s.rwlock_try_read(16, B));
        assert!(!s.rwlock_try_write(16, C));
        s.rwlocks.get_mut(&16).unwrap().writer_queue.push_back(C);
        assert_eq!(s.rwlock_unlock(16, A), Some((vec![], false)));
        assert_eq!(s.rwlock_unlock(16, B), Some((vec![C], false)), "the last reader hands over to the writer");
        assert_eq!(s.rwlocks[&16].writer, Some(C));
        assert!(!s.rwlock_try_read(16, A));
        s.rwlocks.get_mut(&16).unwrap().reader_queue.extend([A, B]);
        assert_eq!(s.rwlock_unlock(16, C), Some((vec![A, B], true)), "queued readers all get it");
        assert_eq!(s.rwlock_unlock(16, C), None, "C no longer holds it");
    }
}
