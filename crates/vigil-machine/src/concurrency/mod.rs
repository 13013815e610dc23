//! Concurrency: threads and their scheduling, blocking and waking, synchronization
//! objects, the data-race detector and weak memory.
//!
//! - `thread.rs`: thread ids, states, per-thread state and the saved execution state.
//! - `scheduler.rs`: which thread runs next and when the running one is preempted.
//! - `clock.rs`: the virtual monotonic clock deadlines are measured on.
//! - `sync.rs`: futexes and pthread mutexes, rwlocks and condition variables.
//! - `vector_clock.rs`: vector clocks (happens-before).
//! - `data_race.rs`: the data-race detector.
//! - `weak_memory.rs`: store buffers for weak-memory effects.
//!
//! This file is the facade the rest of the machine uses: switching threads, blocking and
//! waking them, scheduling, and what happens when a thread's stack runs empty.
//!
//! Architecture invariant: while only one thread has ever existed, none of this runs on
//! the hot path: the preemption countdown never ends (`u64::MAX`), no race state exists.

pub mod atomic;
pub mod clock;
pub mod data_race;
pub mod scheduler;
pub mod sync;
pub mod thread;
pub mod vector_clock;
pub mod weak_memory;

pub use thread::{BlockReason, CallReturn, HostWatch, Resume, Retried, Thread, ThreadId, ThreadManager, Unblock};

use thread::{ExitPhase, JoinStatus, ThreadState};
use vector_clock::VClock;

/// The most threads that may run at once (spawning another stops the program).
const MAX_LIVE_THREADS: usize = 4096;

use crate::error::{Error, ErrorKind, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::{Loc, Machine, ReturnTo};

/// Times the main thread yields to the others after its destructors ran, before the
/// process exits (when threads are preempted at all), so they get a chance to finish.
const MAIN_THREAD_YIELDS_AT_EXIT: u32 = 256;

const ETIMEDOUT: i32 = 110;

impl Machine<'_> {
    /// Makes `t` the running thread: its execution state moves into the machine's fields.
    pub(crate) fn switch_to(&mut self, t: ThreadId) {
        let old = self.threads.active;
        if old == t {
            return;
        }
        for id in [old, t] {
            let s = &mut self.threads.threads[id.index()].saved;
            std::mem::swap(&mut self.stack, &mut s.stack);
            std::mem::swap(&mut self.regs, &mut s.regs);
            std::mem::swap(&mut self.reg_prov, &mut s.reg_prov);
            std::mem::swap(&mut self.reg_frags, &mut s.reg_frags);
            std::mem::swap(&mut self.reg_init, &mut s.reg_init);
            std::mem::swap(&mut self.sp, &mut s.sp);
            std::mem::swap(&mut self.unwinding, &mut s.unwinding);
            if let Some(sb) = &self.mem.sb {
                std::mem::swap(&mut *sb.tree_protected.borrow_mut(), &mut s.tree_protected);
            }
        }
        self.threads.active = t;
        self.thread_tags_from = self.young_mark();
        self.mem.race_set_active(t);
        // A terminated thread's registers are not needed any more.
        let old_thread = self.threads.get_mut(old);
        if old_thread.is_terminated() {
            old_thread.saved = Default::default();
        }
    }

    /// Counts a basic-block end; true when the running thread is to be preempted now.
    #[inline(always)]
    pub(crate) fn block_end_preempts(&mut self) -> bool {
        self.preempt_budget -= 1;
        if self.preempt_budget == 0 {
            self.threads.reschedule = true;
            return true;
        }
        false
    }

    /// The virtual monotonic time in nanoseconds.
    pub(crate) fn now_nanos(&self) -> u128 {
        self.clock.now(self.steps)
    }

    /// What `CLOCK_MONOTONIC` shows the program: the virtual time, from one second on.
    pub(crate) fn monotonic_nanos(&self) -> u128 {
        self.now_nanos() + clock::MONOTONIC_EPOCH
    }

    /// A `CLOCK_MONOTONIC` time of the program as virtual time.
    pub(crate) fn virtual_from_monotonic(&self, t: u128) -> u128 {
        t.saturating_sub(clock::MONOTONIC_EPOCH)
    }

    /// A `CLOCK_REALTIME` time of the program (nanoseconds since the epoch) as virtual time.
    pub(crate) fn virtual_from_realtime(&self, t: u128) -> u128 {
        let real_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        self.now_nanos().saturating_add(t.saturating_sub(real_now))
    }

    /// Creates a thread whose root frame calls `f(arg)`; it runs once scheduled.
    pub(crate) fn spawn_thread(&mut self, f: vigil_ir::FnId, arg: Ptr) -> Res<ThreadId> {
        let live = self.threads.threads.iter().filter(|t| !t.is_terminated()).count();
        if live >= MAX_LIVE_THREADS {
            return Err(Error::exhausted(format!("too many threads: {live} are running (Vigil runs at most {MAX_LIVE_THREADS} at once)")));
        }
        let t = ThreadId(self.threads.threads.len() as u32);
        let errno = self.mem.allocate(4, 4, AllocKind::Machine);
        let ret_slot = self.mem.allocate(8, 8, AllocKind::Machine);
        let mut th = Thread::new(None, errno, ret_slot);
        th.origin = self.user_site();
        self.threads.threads.push(th);
        let parent = self.threads.active;
        if self.config.data_race {
            self.mem.race_thread_created(parent, t);
        }
        self.switch_to(t);
        // (The argument passes from this thread's registers to the new one's: it counts as
        // kept outside registers, so no return drops its node, `young.rs`.)
        self.mem.note_stored(arg.prov);
        self.set_args(&[(arg.addr as u128, arg.prov, 8)]);
        let r = self.push_frame(f, ReturnTo::Root, None);
        self.switch_to(parent);
        r?;
        if self.preempt_budget == u64::MAX {
            self.preempt_budget = self.sched.preemption_budget();
        }
        Ok(t)
    }

    /// Blocks the running thread in the middle of a call; `resume` completes the call when
    /// it is woken (or its deadline passes).
    pub(crate) fn block_current(&mut self, reason: BlockReason, deadline: Option<u128>, resume: Resume) {
        let t = self.threads.active_mut();
        debug_assert!(t.is_enabled());
        t.state = ThreadState::Blocked { reason, deadline, resume };
        self.threads.reschedule = true;
    }

    /// Wakes a blocked thread (`acquire`: the clock it synchronizes with) and completes its
    /// blocking call, on that thread.
    pub(crate) fn unblock(&mut self, t: ThreadId, why: Unblock, acquire: Option<&VClock>) -> Res<()> {
        let state = std::mem::replace(&mut self.threads.get_mut(t).state, ThreadState::Enabled);
        let ThreadState::Blocked { reason, resume, .. } = state else {
            panic!("unblocking thread {t:?}, which is not blocked");
        };
        let old = self.threads.active;
        self.switch_to(t);
        if let Some(c) = acquire {
            self.mem.race_acquire(c);
        }
        let r = self.resume(reason, resume, why);
        self.switch_to(old);
        r
    }

    /// Completes a blocking call on the running thread.
    fn resume(&mut self, reason: BlockReason, resume: Resume, why: Unblock) -> Res<()> {
        match resume {
            Resume::Value { ret, ready, timed_out } => match (why, timed_out) {
                (Unblock::TimedOut, Some((v, errno))) => {
                    if let BlockReason::Futex(addr) = reason {
                        let me = self.threads.active;
                        if let Some(f) = self.sync.futexes.get_mut(&addr) {
                            f.waiters.retain(|w| w.0 != me);
                        }
                    }
                    if let Some(e) = errno {
                        self.set_errno(e)?;
                    }
                    self.complete_call(ret, v)
                }
                _ => self.complete_call(ret, ready),
            },
            Resume::Join { ret, joined, retval, success } => {
                if self.config.data_race {
                    let live = self.threads.live_count();
                    self.mem.race_thread_joined(joined, live);
                }
                if retval.addr != 0 {
                    let slot = self.threads.get(joined).ret_slot;
                    let (v, p) = self.mem.read_scalar(slot, 8)?;
                    self.mem.write_scalar(retval, 8, v, p)?;
                }
                self.complete_call(ret, success)
            }
            Resume::Retry => {
                self.threads.active_mut().retried = Some(Retried::default());
                Ok(())
            }
            Resume::RetryUntil { ret, deadline } => match why {
                Unblock::TimedOut => self.complete_call(ret, 0),
                Unblock::Ready => {
                    self.threads.active_mut().retried = Some(Retried { deadline: Some(deadline) });
                    Ok(())
                }
            },
            Resume::CondvarWait { ret, cond, mutex } => {
                let me = self.threads.active;
                let code = if why == Unblock::TimedOut {
                    if let Some(c) = self.sync.condvars.get_mut(&cond) {
                        c.waiters.retain(|&w| w != me);
                    }
                    ETIMEDOUT as i64
                } else {
                    0
                };
                // Get the mutex back before returning (the time-out does not apply to that).
                if self.sync.mutex_try_lock(mutex, me) {
                    let clock = self.sync.mutexes[&mutex].clock.clone();
                    self.mem.race_acquire(&clock);
                    self.complete_call(ret, code)
                } else {
                    self.sync.mutexes.get_mut(&mutex).unwrap().queue.push_back(me);
                    self.block_current(BlockReason::Mutex(mutex), None, Resume::Value { ret, ready: code, timed_out: None });
                    Ok(())
                }
            }
        }
    }

    /// Writes the result of a (blocking) foreign call and continues after it.
    pub(crate) fn complete_call(&mut self, ret: CallReturn, v: i64) -> Res<()> {
        self.write_loc_scalar(ret.dst, ret.size as u64, v as u64 as u128, Prov::NONE)?;
        self.shim_return(ret.target)
    }

    /// Picks the thread to run next and switches to it: threads whose deadline passed wake
    /// first; when none can run, time jumps to the next deadline, or the program deadlocked.
    pub(crate) fn schedule(&mut self) -> Res<()> {
        self.threads.reschedule = false;
        loop {
            let now = self.now_nanos();
            let mut next_deadline: Option<u128> = None;
            let mut expired = Vec::new();
            for (i, th) in self.threads.threads.iter().enumerate() {
                if let ThreadState::Blocked { deadline: Some(d), .. } = th.state {
                    if d <= now {
                        expired.push(ThreadId(i as u32));
                    } else {
                        next_deadline = Some(next_deadline.map_or(d, |n: u128| n.min(d)));
                    }
                }
            }
            for t in expired {
                self.unblock(t, Unblock::TimedOut, None)?;
            }
            // Threads waiting for the host (sockets): those whose descriptor is ready run again.
            let host_waiting = self.wake_host_ready(0)?;
            let enabled: Vec<u32> =
                (0..self.threads.threads.len() as u32).filter(|&i| self.threads.threads[i as usize].is_enabled()).collect();
            if let Some(t) = self.sched.pick(&enabled, self.threads.active.0) {
                self.switch_to(ThreadId(t));
                self.preempt_budget = if self.threads.ever_multithreaded() { self.sched.preemption_budget() } else { u64::MAX };
                return Ok(());
            }
            if host_waiting {
                // Nothing can run before the host answers: wait for it (until the next
                // deadline, when there is one; the clock follows the host's time then).
                let timeout =
                    next_deadline.map_or(-1, |d| (d.saturating_sub(self.now_nanos()).div_ceil(1_000_000)).min(i32::MAX as u128) as i32);
                self.wake_host_ready(timeout)?;
                continue;
            }
            match next_deadline {
                Some(d) => self.clock.sleep_until(self.steps, d),
                None => return Err(self.deadlock()),
            }
        }
    }

    /// The threads still running when the main thread ended, with where they were spawned.
    pub(crate) fn running_threads(&self) -> Vec<(String, Option<(vigil_ir::FnId, vigil_ir::SpanId)>)> {
        (0..self.threads.threads.len() as u32)
            .map(ThreadId)
            .filter(|&t| !self.threads.get(t).is_terminated())
            .map(|t| (self.threads.display_name(t), self.threads.get(t).origin))
            .collect()
    }

    /// The I/O object `id` changed: wakes every thread blocked on it or polling (each runs its
    /// call again), after marking the edge-triggered epoll interests in it.
    pub(crate) fn wake_io(&mut self, id: u64) -> Res<()> {
        self.os.fds.note_io_change(id);
        let waiting: Vec<ThreadId> = (0..self.threads.threads.len() as u32)
            .map(ThreadId)
            .filter(|&t| {
                let th = self.threads.get(t);
                th.is_blocked_on(BlockReason::Io(id)) || th.is_blocked_on(BlockReason::Poll)
            })
            .collect();
        for t in waiting {
            self.unblock(t, Unblock::Ready, None)?;
        }
        Ok(())
    }

    /// Wakes the threads waiting for host descriptors that are ready within `timeout_ms` (0:
    /// now, -1: no limit): those blocked in a socket call, and polling threads watching host
    /// sockets (a socket becoming ready marks the edge-triggered interests in it). Returns
    /// whether any thread waits for the host.
    fn wake_host_ready(&mut self, timeout_ms: i32) -> Res<bool> {
        let mut waiting: Vec<(ThreadId, i32, i16, Option<u64>)> = Vec::new();
        for (i, th) in self.threads.threads.iter().enumerate() {
            let t = ThreadId(i as u32);
            match th.state {
                ThreadState::Blocked { reason: BlockReason::HostIo { fd, events }, .. } => waiting.push((t, fd, events, None)),
                ThreadState::Blocked { reason: BlockReason::Poll, .. } => {
                    waiting.extend(th.host_watch.iter().map(|w| (t, w.fd, w.events, Some(w.id))));
                }
                _ => {}
            }
        }
        if waiting.is_empty() {
            return Ok(false);
        }
        let fds: Vec<(i32, i16)> = waiting.iter().map(|w| (w.1, w.2)).collect();
        let ready = crate::shims::host::ready(&fds, timeout_ms);
        for (&(t, _, _, id), r) in waiting.iter().zip(ready) {
            if r == 0 {
                continue;
            }
            if let Some(id) = id {
                self.os.fds.note_io_change(id);
            }
            if matches!(self.threads.get(t).state, ThreadState::Blocked { .. }) {
                self.unblock(t, Unblock::Ready, None)?;
            }
        }
        Ok(true)
    }

    /// The report of a global deadlock: every blocked thread and where it waits.
    fn deadlock(&self) -> Error {
        let mut blocked = Vec::new();
        for (i, th) in self.threads.threads.iter().enumerate() {
            if !matches!(th.state, ThreadState::Blocked { .. }) {
                continue;
            }
            let t = ThreadId(i as u32);
            let stack = if t == self.threads.active { &self.stack } else { &th.saved.stack };
            let bt = crate::frames_backtrace(stack);
            blocked.push((self.threads.display_name(t), bt));
        }
        Error::new(ErrorKind::Deadlock(blocked))
    }

    /// The running thread's stack ran empty: run its thread-local destructors, then end the
    /// thread. Returns true when the program ends (the main thread is done).
    pub(crate) fn on_stack_empty(&mut self) -> Res<bool> {
        if self.starting() {
            self.start_next()?;
            return Ok(false);
        }
        let t = self.threads.active;
        match self.threads.active().exit {
            ExitPhase::Running | ExitPhase::Dtors { .. } => {
                let last = match self.threads.active().exit {
                    ExitPhase::Dtors { last_key } => last_key,
                    _ => None,
                };
                if let Some((key, dtor, value)) = self.next_key_dtor(last) {
                    self.threads.active_mut().exit = ExitPhase::Dtors { last_key: Some(key) };
                    let f = self.mem.fn_of_ptr(dtor)?;
                    self.set_args(&[(value.0, value.1, 8)]);
                    self.push_frame(f, ReturnTo::Root, None)?;
                    return Ok(false);
                }
                let yields = t == ThreadId::MAIN
                    && self.threads.live_count() > 1
                    && self.sched.config.preemption_rate > 0.0
                    && !self.sched.config.fixed;
                self.threads.active_mut().exit =
                    if yields { ExitPhase::Yielding { remaining: MAIN_THREAD_YIELDS_AT_EXIT } } else { ExitPhase::Done };
            }
            ExitPhase::Yielding { remaining } => {
                self.threads.active_mut().exit = if remaining == 0 || self.threads.live_count() == 1 {
                    ExitPhase::Done
                } else {
                    ExitPhase::Yielding { remaining: remaining - 1 }
                };
                self.threads.reschedule = true;
            }
            ExitPhase::Done => {
                if t == ThreadId::MAIN {
                    // The process ends; the main thread's thread-locals stay (like statics).
                    self.threads.active_mut().state = ThreadState::Terminated;
                    return Ok(true);
                }
                self.terminate_current()?;
            }
        }
        Ok(false)
    }

    /// The next pthread-key destructor to run on the running thread, after key `last`
    /// (starting over from the first key once all were tried): the key, the destructor and
    /// the value, which is cleared.
    fn next_key_dtor(&mut self, last: Option<u64>) -> Option<(u64, Ptr, (u128, Prov))> {
        let dtors = &self.os.key_dtors;
        let specific = &self.threads.active().specific;
        let find = |from: Option<u64>| {
            specific
                .iter()
                .filter(|(k, v)| from.is_none_or(|l| **k > l) && v.0 != 0)
                .find_map(|(k, v)| dtors.get(k).filter(|d| d.addr != 0).map(|d| (*k, *d, *v)))
        };
        let found = find(last).or_else(|| find(None))?;
        self.threads.active_mut().specific.insert(found.0, (0, Prov::NONE));
        Some(found)
    }

    /// Ends the running (non-main) thread: its thread-local statics are freed and the
    /// threads joining it wake up.
    fn terminate_current(&mut self) -> Res<()> {
        let t = self.threads.active;
        let th = self.threads.active_mut();
        th.state = ThreadState::Terminated;
        let tls: Vec<Ptr> = th.tls.drain(..).flatten().collect();
        th.specific.clear();
        let errno = th.errno;
        for p in tls {
            self.mem.deallocate(p, None, AllocKind::Tls)?;
        }
        self.mem.deallocate(errno, None, AllocKind::Machine)?;
        if self.config.data_race {
            self.mem.race_thread_terminated(t);
        }
        for j in self.threads.joiners_of(t) {
            self.unblock(j, Unblock::Ready, None)?;
        }
        self.threads.reschedule = true;
        Ok(())
    }

    /// `pthread_join`: waits for `t` to end (undefined behavior for the thread itself, a
    /// detached or an already joined thread).
    pub(crate) fn join_thread(&mut self, t: ThreadId, retval: Ptr, ret: CallReturn, success: i64) -> Res<()> {
        if t == self.threads.active {
            return Err(Error::ub("trying to join itself"));
        }
        match self.threads.get(t).join {
            JoinStatus::Detached => return Err(Error::ub("trying to join a detached thread")),
            JoinStatus::Joined => return Err(Error::ub("trying to join an already joined thread")),
            JoinStatus::Joinable => {}
        }
        self.threads.get_mut(t).join = JoinStatus::Joined;
        let resume = Resume::Join { ret, joined: t, retval, success };
        if self.threads.get(t).is_terminated() {
            self.resume(BlockReason::Join(t), resume, Unblock::Ready)
        } else {
            self.block_current(BlockReason::Join(t), None, resume);
            Ok(())
        }
    }

    /// `pthread_detach`.
    pub(crate) fn detach_thread(&mut self, t: ThreadId) -> Res<()> {
        let th = self.threads.get_mut(t);
        if th.join != JoinStatus::Joinable {
            return Err(Error::ub("trying to detach thread that was already detached or joined"));
        }
        th.join = JoinStatus::Detached;
        Ok(())
    }

    /// The running thread's copy of thread-local static `index`, made from `template` on
    /// first use.
    pub(crate) fn thread_local(&mut self, index: u32, template: Ptr) -> Res<Ptr> {
        let i = index as usize;
        if let Some(Some(p)) = self.threads.active().tls.get(i) {
            return Ok(*p);
        }
        let (size, align) = {
            let a = self.mem.get(template.prov);
            (a.size, a.align)
        };
        let (mut bytes, mut init, mut prov) = (Vec::new(), Vec::new(), Vec::new());
        self.mem.read_into(template, size, &mut bytes, &mut init, &mut prov, 0)?;
        let p = self.mem.allocate_uninit(size, align, AllocKind::Tls);
        self.mem.write_with_init(p, &bytes, Some(&init), &prov)?;
        self.mem.set_alloc_site(p.prov, self.user_site());
        let tls = &mut self.threads.active_mut().tls;
        if tls.len() <= i {
            tls.resize(i + 1, None);
        }
        tls[i] = Some(p);
        Ok(p)
    }

    /// Calls `f` with the provenance of every pointer the threads hold outside the running
    /// thread's registers: other threads' saved state, thread-locals, errno, return slots,
    /// pthread-specific values and blocked calls' destinations.
    pub(crate) fn for_each_thread_root(&self, mut f: impl FnMut(Prov)) {
        for th in &self.threads.threads {
            let s = &th.saved;
            for &p in &s.reg_prov[..s.sp / 8] {
                f(p);
            }
            for &(_, p) in &s.reg_frags {
                f(p.prov());
            }
            for p in &s.unwinding {
                f(p.prov);
            }
            for e in &s.tree_protected {
                f(Prov::base(e.alloc));
            }
            for frame in &s.stack {
                frame_roots(frame, &mut f);
            }
            f(th.errno.prov);
            f(th.ret_slot.prov);
            for p in th.tls.iter().flatten() {
                f(p.prov);
            }
            for &(_, p) in th.specific.values() {
                f(p);
            }
            if let ThreadState::Blocked { resume, .. } = &th.state {
                let (Resume::Value { ret, .. }
                | Resume::Join { ret, .. }
                | Resume::CondvarWait { ret, .. }
                | Resume::RetryUntil { ret, .. }) = resume
                else {
                    continue;
                };
                if let Loc::Mem(p) = ret.dst {
                    f(p.prov);
                }
                if let Resume::Join { retval, .. } = resume {
                    f(retval.prov);
                }
            }
        }
    }
}

/// The pointers a frame holds outside its registers (where it returns to).
pub(crate) fn frame_roots(frame: &crate::Frame, f: &mut impl FnMut(Prov)) {
    match frame.ret {
        ReturnTo::Call { dst: Loc::Mem(p), .. } => f(p.prov),
        ReturnTo::Catch { dst, catch_fn, data, .. } => {
            if let Loc::Mem(p) = dst {
                f(p.prov);
            }
            f(catch_fn.prov);
            f(data.prov);
        }
        _ => {}
    }
}
