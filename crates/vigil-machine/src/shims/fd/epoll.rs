//! Readiness of the emulated I/O objects, `epoll` (level- and edge-triggered) and `poll`,
//! blocking on the virtual clock. An object's change (`Machine::wake_io`) marks the
//! edge-triggered interests in it and wakes every polling thread, which runs its call again.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Weak;

use super::Description;
use crate::concurrency::HostWatch;

pub const EPOLLIN: u32 = 0x1;
pub const EPOLLOUT: u32 = 0x4;
pub const EPOLLERR: u32 = 0x8;
pub const EPOLLHUP: u32 = 0x10;
pub const EPOLLRDHUP: u32 = 0x2000;
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
pub const EPOLLWAKEUP: u32 = 1 << 29;
pub const EPOLLONESHOT: u32 = 1 << 30;
pub const EPOLLET: u32 = 1 << 31;
/// `poll`'s "not an open descriptor".
pub const POLLNVAL: u32 = 0x20;

/// One descriptor an epoll instance watches.
pub struct Interest {
    /// The description (weakly: watching does not keep it open).
    pub desc: Weak<RefCell<Description>>,
    pub events: u32,
    pub data: u64,
    pub edge: bool,
    /// Edge-triggered: something changed since the last report.
    pub pending: bool,
    /// Edge-triggered on a host socket: the readiness reported last (cleared when the
    /// program uses the socket). The host's changes are seen only by sampling, so a bit
    /// that is ready now but was not then is an edge.
    pub seen: u32,
    /// The I/O objects whose changes concern it.
    pub objects: Vec<u64>,
}

/// An epoll instance: its interest list, by descriptor number.
pub struct EpollSet {
    pub id: u64,
    pub interests: BTreeMap<i32, Interest>,
}

impl EpollSet {
    /// The events to report now, (events, data) in descriptor order, at most `max`;
    /// edge-triggered interests reported are no longer pending. Interests whose description
    /// is gone are dropped.
    pub fn collect_ready(&mut self, max: usize) -> Vec<(u32, u64)> {
        self.interests.retain(|_, i| i.desc.strong_count() > 0);
        let mut out = Vec::new();
        for i in self.interests.values_mut() {
            if out.len() >= max {
                break;
            }
            let Some(d) = i.desc.upgrade() else { continue };
            let d = d.borrow();
            let ready = d.readiness() & (i.events | EPOLLERR | EPOLLHUP);
            let report = match (&*d, i.edge) {
                (_, false) => ready != 0,
                (Description::HostSocket { .. }, true) => {
                    if std::mem::take(&mut i.pending) {
                        i.seen = 0;
                    }
                    i.seen &= ready;
                    ready & !i.seen != 0
                }
                (_, true) => ready != 0 && i.pending,
            };
            if report {
                out.push((ready, i.data));
                i.pending = false;
                i.seen = ready;
            }
        }
        out
    }

    /// The host sockets of the interests, with the events whose readiness would be reported
    /// (for a thread that blocks: the host's reporting one of them wakes it).
    pub fn host_watch(&self) -> Vec<HostWatch> {
        let mut out = Vec::new();
        for i in self.interests.values() {
            let Some(d) = i.desc.upgrade() else { continue };
            let d = d.borrow();
            if let Description::HostSocket { fd, id, .. } = &*d {
                let quiet = if i.edge { i.seen } else { d.readiness() };
                let waiting = i.events & !quiet & (EPOLLIN | EPOLLOUT | EPOLLRDHUP);
                if waiting != 0 {
                    out.push(HostWatch { fd: fd.0, events: waiting as i16, id: *id });
                }
            }
        }
        out
    }
}

impl Description {
    /// What the object is ready for now (epoll's bits; `poll` uses the same values). Files
    /// and the standard streams are always ready.
    pub fn readiness(&self) -> u32 {
        match self {
            Description::Stdin | Description::Stdout | Description::Stderr | Description::File(_) => EPOLLIN | EPOLLOUT,
            Description::Pipe { chan, write_end: false, .. } => {
                let c = chan.borrow();
                let mut r = 0;
                if !c.data.is_empty() || c.writer_closed {
                    r |= EPOLLIN;
                }
                if c.writer_closed {
                    r |= EPOLLHUP;
                }
                r
            }
            Description::Pipe { chan, .. } => {
                let c = chan.borrow();
                if c.reader_closed {
                    EPOLLERR
                } else if c.data.len() < super::PIPE_CAPACITY {
                    EPOLLOUT
                } else {
                    0
                }
            }
            Description::Socket { rx, tx, .. } => {
                let (rx, tx) = (rx.borrow(), tx.borrow());
                let mut r = 0;
                if !rx.data.is_empty() || rx.writer_closed {
                    r |= EPOLLIN;
                }
                if rx.writer_closed {
                    r |= EPOLLRDHUP;
                }
                if !tx.reader_closed && tx.data.len() < super::PIPE_CAPACITY {
                    r |= EPOLLOUT;
                }
                if rx.writer_closed && tx.reader_closed {
                    r |= EPOLLHUP;
                }
                r
            }
            Description::EventFd { ev, .. } => {
                let mut r = 0;
                if ev.counter > 0 {
                    r |= EPOLLIN;
                }
                if ev.counter < super::EVENTFD_MAX {
                    r |= EPOLLOUT;
                }
                r
            }
            Description::Epoll(_) => 0,
            Description::HostSocket { fd, .. } => {
                use crate::shims::net::{POLLIN, POLLOUT};
                crate::shims::host::ready(&[(fd.0, POLLIN | POLLOUT)], 0)[0] as u16 as u32
            }
        }
    }

    /// The I/O objects whose changes change this description's readiness (none: it can't
    /// be watched by epoll).
    pub fn io_objects(&self) -> Option<Vec<u64>> {
        match self {
            Description::Pipe { chan, .. } => Some(vec![chan.borrow().id]),
            Description::Socket { rx, tx, .. } => Some(vec![rx.borrow().id, tx.borrow().id]),
            Description::EventFd { ev, .. } => Some(vec![ev.id]),
            Description::HostSocket { id, .. } => Some(vec![*id]),
            _ => None,
        }
    }
}
