//! Emulated I/O objects that need no host (they work under isolation): pipes, socket pairs
//! (two pipes, one per direction) and eventfd counters. A read that finds nothing, or a
//! write that finds no room, blocks the thread (or fails with `EAGAIN` in non-blocking
//! mode) until the object changes; data passed through them synchronizes the threads.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use crate::concurrency::vector_clock::VClock;

/// How many bytes a pipe holds before writers wait (Linux's default is 64 KiB).
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// One direction of a pipe or socket pair.
pub struct Channel {
    /// Identifies the object for threads blocked on it.
    pub id: u64,
    pub data: VecDeque<u8>,
    /// No descriptor can write any more: readers get end-of-file once `data` is empty.
    pub writer_closed: bool,
    /// No descriptor can read any more: writers get `EPIPE`.
    pub reader_closed: bool,
    /// What the writers' threads had done when they wrote (readers acquire it).
    pub clock: VClock,
}

impl Channel {
    pub fn new(id: u64) -> Rc<RefCell<Channel>> {
        Rc::new(RefCell::new(Channel { id, data: VecDeque::new(), writer_closed: false, reader_closed: false, clock: VClock::default() }))
    }
}

/// An eventfd's counter.
pub struct EventFd {
    pub id: u64,
    pub counter: u64,
    pub clock: VClock,
}

/// The largest value an eventfd counter holds.
pub const EVENTFD_MAX: u64 = u64::MAX - 1;

/// What a read from or write to an emulated object did.
pub enum Transfer<T> {
    Done(T),
    /// Nothing to read or no room: wait for object `id` (or `EAGAIN` if non-blocking).
    WouldBlock(u64),
    /// The host socket would block: wait until the host descriptor is ready for the events.
    WouldBlockHost(i32, i16),
    Failed(i32),
}
