//! Threads: their ids, names, states (enabled, blocked on something, terminated), join
//! status, per-thread state, and the saved execution state of the threads not running.
//!
//! Architecture invariant: the running thread's frames, registers and unwinding payload
//! live in the `Machine`'s own fields (where the interpreter loop reaches them directly);
//! a thread's `SavedExec` holds them only while it is not running. A switch swaps them.

use std::collections::BTreeMap;

use crate::memory::{Prov, Ptr};
use crate::{Frame, Loc};

/// A thread, numbered in creation order; the main thread is 0. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(pub u32);

impl ThreadId {
    pub const MAIN: ThreadId = ThreadId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a blocked thread waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockReason {
    /// The given thread to terminate.
    Join(ThreadId),
    /// Time to pass (`nanosleep`).
    Sleep,
    /// A `FUTEX_WAKE` on the futex at this address.
    Futex(u64),
    /// A pthread mutex at this address to be handed over.
    Mutex(u64),
    /// A pthread rwlock at this address to be handed over.
    RwLock(u64),
    /// A signal of the pthread condition variable at this address.
    Condvar(u64),
    /// Data or room in the emulated I/O object with this id (a pipe, socket pair or eventfd).
    Io(u64),
    /// A change of any emulated I/O object (`poll`, `epoll_wait`).
    Poll,
    /// A host descriptor (a socket, isolation off) to be ready for these `poll` events.
    HostIo { fd: i32, events: i16 },
}

/// Why a blocked thread runs again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unblock {
    Ready,
    TimedOut,
}

/// How a blocking call completes when its thread runs again. The call instruction stays the
/// thread's current program point while it is blocked (so a deadlock report shows it);
/// completing writes the result and continues at `target`.
#[derive(Clone, Copy, Debug)]
pub struct CallReturn {
    pub dst: Loc,
    pub size: u32,
    pub target: Option<u32>,
}

/// A blocking call that runs again after a wake-up: what it had decided before blocking.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retried {
    /// The deadline of a `poll`/`epoll_wait` with a time-out (kept across wake-ups).
    pub deadline: Option<u128>,
}

/// What completing a blocking call does, by kind of call.
#[derive(Clone, Copy, Debug)]
pub enum Resume {
    /// Return `ready` (or, on a time-out, `timed_out`: the value and the errno to set).
    Value { ret: CallReturn, ready: i64, timed_out: Option<(i64, Option<i32>)> },
    /// `pthread_join`: take over the joined thread's history, store its return value
    /// through `retval` (unless null) and return `success`.
    Join { ret: CallReturn, joined: ThreadId, retval: Ptr, success: i64 },
    /// `pthread_cond_(timed)wait`: get the mutex back, then return 0 (or `ETIMEDOUT`).
    CondvarWait { ret: CallReturn, cond: u64, mutex: u64 },
    /// Run the call again (its instruction is still the thread's program point): a blocking
    /// read or write tries again once its object changed.
    Retry,
    /// `poll`/`epoll_wait` with a time-out: run the call again when woken (it finds its
    /// deadline in `Machine::retried`), or return 0 at the deadline.
    RetryUntil { ret: CallReturn, deadline: u128 },
}

#[derive(Debug)]
pub enum ThreadState {
    Enabled,
    /// Waiting; `deadline` is a time of the virtual monotonic clock (nanoseconds).
    Blocked {
        reason: BlockReason,
        deadline: Option<u128>,
        resume: Resume,
    },
    Terminated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinStatus {
    Joinable,
    /// Its handle was given up (`pthread_detach`): nobody may join it.
    Detached,
    Joined,
}

/// What happens once a thread's stack runs empty: its thread-local destructors run, then the
/// main thread yields to the others a few times (so they get a chance to finish) and the
/// thread ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitPhase {
    Running,
    /// Running pthread-key destructors; the last key whose destructor ran.
    Dtors {
        last_key: Option<u64>,
    },
    /// The main thread, after its destructors: yields left before the process exits.
    Yielding {
        remaining: u32,
    },
    Done,
}

/// The execution state of a thread that is not running.
#[derive(Default)]
pub struct SavedExec {
    pub stack: Vec<Frame>,
    pub regs: Vec<u8>,
    pub reg_prov: Vec<Prov>,
    pub reg_frags: Vec<(usize, crate::prov_map::ProvPart)>,
    pub reg_init: Vec<u8>,
    pub sp: usize,
    pub unwinding: Vec<Ptr>,
    /// Tree Borrows: the tags its protectors guard (`SbState::tree_protected`).
    pub tree_protected: Vec<crate::borrows::state::ProtectedTag>,
}

pub struct Thread {
    pub name: Option<Vec<u8>>,
    pub state: ThreadState,
    pub join: JoinStatus,
    pub exit: ExitPhase,
    pub saved: SavedExec,
    /// This thread's `errno`.
    pub errno: Ptr,
    /// Where the thread's root function writes its return value.
    pub ret_slot: Ptr,
    /// This thread's copies of thread-local statics, by the frontend's dense index.
    pub tls: Vec<Option<Ptr>>,
    /// `pthread_setspecific` values, by key.
    pub specific: BTreeMap<u64, (u128, Prov)>,
    /// Where it was spawned (the user's program point), for reports.
    pub origin: Option<(vigil_ir::FnId, vigil_ir::SpanId)>,
    /// Set when a blocked call is woken to run again (`Resume::Retry`/`RetryUntil`); the
    /// next foreign call moves it to `Machine::retried`.
    pub retried: Option<Retried>,
    /// While blocked in `BlockReason::Poll`: the host sockets whose readiness wakes it.
    pub host_watch: Vec<HostWatch>,
}

/// A host socket a polling thread waits for: the host descriptor, the `poll` events, and the
/// socket's I/O object id (its becoming ready is an edge for edge-triggered epoll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostWatch {
    pub fd: i32,
    pub events: i16,
    pub id: u64,
}

impl Thread {
    pub fn new(name: Option<&str>, errno: Ptr, ret_slot: Ptr) -> Thread {
        Thread {
            name: name.map(|n| n.as_bytes().to_vec()),
            state: ThreadState::Enabled,
            join: JoinStatus::Joinable,
            exit: ExitPhase::Running,
            saved: SavedExec::default(),
            errno,
            ret_slot,
            tls: Vec::new(),
            specific: BTreeMap::new(),
            origin: None,
            retried: None,
            host_watch: Vec::new(),
        }
    }

    pub fn is_enabled(&self) -> bool {
        matches!(self.state, ThreadState::Enabled)
    }

    pub fn is_terminated(&self) -> bool {
        matches!(self.state, ThreadState::Terminated)
    }

    pub fn is_blocked_on(&self, r: BlockReason) -> bool {
        matches!(self.state, ThreadState::Blocked { reason, .. } if reason == r)
    }
}

/// All threads ever created (terminated ones stay, so ids keep their meaning).
pub struct ThreadManager {
    pub threads: Vec<Thread>,
    pub active: ThreadId,
    /// The scheduler must pick a thread before the next step (the active one blocked,
    /// yielded, was preempted or ended).
    pub reschedule: bool,
}

impl ThreadManager {
    pub fn new(main: Thread) -> ThreadManager {
        let mut main = main;
        // On Linux the main thread cannot be joined.
        main.join = JoinStatus::Detached;
        ThreadManager { threads: vec![main], active: ThreadId::MAIN, reschedule: false }
    }

    pub fn active(&self) -> &Thread {
        &self.threads[self.active.index()]
    }

    pub fn active_mut(&mut self) -> &mut Thread {
        let i = self.active.index();
        &mut self.threads[i]
    }

    pub fn get(&self, t: ThreadId) -> &Thread {
        &self.threads[t.index()]
    }

    pub fn get_mut(&mut self, t: ThreadId) -> &mut Thread {
        &mut self.threads[t.index()]
    }

    /// The thread a `pthread_t` value names, if it exists.
    pub fn lookup(&self, raw: u64) -> Option<ThreadId> {
        (raw < self.threads.len() as u64).then_some(ThreadId(raw as u32))
    }

    /// Whether a second thread was ever created (until then, nothing concurrent can happen).
    pub fn ever_multithreaded(&self) -> bool {
        self.threads.len() > 1
    }

    pub fn live_count(&self) -> usize {
        self.threads.iter().filter(|t| !t.is_terminated()).count()
    }

    /// The name shown in reports: the thread's name, else `unnamed-N`.
    pub fn display_name(&self, t: ThreadId) -> String {
        match &self.threads[t.index()].name {
            Some(n) => String::from_utf8_lossy(n).into_owned(),
            None => format!("unnamed-{}", t.0),
        }
    }

    /// Threads waiting for `t` to terminate.
    pub fn joiners_of(&self, t: ThreadId) -> Vec<ThreadId> {
        (0..self.threads.len() as u32).map(ThreadId).filter(|&j| self.threads[j.index()].is_blocked_on(BlockReason::Join(t))).collect()
    }
}
