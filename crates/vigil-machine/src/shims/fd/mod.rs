//! The file-descriptor table (one per process, shared by all threads, with stdin, stdout and
//! stderr in it) and the calls on descriptors, whatever they refer to; each kind of
//! description is a module (`file.rs`: host files; `pipe.rs`: pipes, socket pairs, eventfd;
//! `epoll.rs`: readiness, epoll and poll).

pub(crate) mod epoll;
pub(crate) mod file;
pub(crate) mod pipe;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use vigil_ir::FdShim;

use super::errno::{EAGAIN, EBADF, EINVAL, ENOENT, ENOTTY, EPERM, EPIPE, ESPIPE};
use crate::Machine;
use crate::concurrency::CallReturn;
use crate::concurrency::vector_clock::VClock;
use crate::concurrency::{BlockReason, HostWatch, Resume};
use crate::error::{Error, Res};
use crate::memory::Ptr;
use epoll::{EPOLLERR, EPOLLET, EPOLLEXCLUSIVE, EPOLLHUP, EPOLLONESHOT, EPOLLWAKEUP, EpollSet, Interest, POLLNVAL};
use file::HostFile;
use pipe::{Channel, EVENTFD_MAX, EventFd, PIPE_CAPACITY, Transfer};

const F_DUPFD: u64 = 0;
const F_GETFD: u64 = 1;
const F_SETFD: u64 = 2;
const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;
const F_DUPFD_CLOEXEC: u64 = 1030;
const FD_CLOEXEC: i64 = 1;
const O_RDWR: i64 = 0o2;
const O_NONBLOCK: i64 = 0o4000;
const O_CLOEXEC: u64 = 0o2000000;
const AF_UNIX: u64 = 1;
const SOCK_STREAM: u64 = 1;
/// The flags `socketpair`'s type may carry.
const SOCK_FLAGS: u64 = (super::net::SOCK_NONBLOCK | super::net::SOCK_CLOEXEC) as u64;
const EFD_SEMAPHORE: u64 = 1;
const LOCK_SH: u64 = 1;
const LOCK_EX: u64 = 2;
const LOCK_NB: u64 = 4;
const LOCK_UN: u64 = 8;
/// The most descriptors a process may have open (opening more stops the program).
const MAX_FDS: i32 = 1024;

/// What a descriptor refers to (shared by the descriptors `dup` made).
pub enum Description {
    Stdin,
    Stdout,
    Stderr,
    File(HostFile),
    /// One end of a pipe.
    Pipe {
        chan: Rc<RefCell<Channel>>,
        write_end: bool,
        nonblock: bool,
    },
    /// One end of a socket pair: it reads `rx` and writes `tx`.
    Socket {
        rx: Rc<RefCell<Channel>>,
        tx: Rc<RefCell<Channel>>,
        nonblock: bool,
    },
    EventFd {
        ev: EventFd,
        nonblock: bool,
    },
    Epoll(EpollSet),
    /// A socket of the host (isolation off), kept non-blocking on the host; `nonblock` is
    /// the program's view; `id` names it as an I/O object (for edge-triggered epoll).
    HostSocket {
        fd: HostFd,
        id: u64,
        nonblock: bool,
    },
}

impl Description {
    pub fn name(&self) -> &'static str {
        match self {
            Description::Stdin => "stdin",
            Description::Stdout => "stdout",
            Description::Stderr => "stderr",
            Description::File(_) => "a file",
            Description::Pipe { .. } => "a pipe",
            Description::Socket { .. } => "a socket",
            Description::EventFd { .. } => "an eventfd",
            Description::Epoll(_) => "an epoll instance",
            Description::HostSocket { .. } => "a socket",
        }
    }

    fn nonblock(&self) -> bool {
        match self {
            Description::Pipe { nonblock, .. }
            | Description::Socket { nonblock, .. }
            | Description::EventFd { nonblock, .. }
            | Description::HostSocket { nonblock, .. } => *nonblock,
            _ => false,
        }
    }
}

pub type Shared = Rc<RefCell<Description>>;

/// A descriptor of the host, closed when dropped.
pub struct HostFd(pub i32);

impl Drop for HostFd {
    fn drop(&mut self) {
        // SAFETY: the descriptor is this value's own.
        unsafe { super::host::close(self.0) };
    }
}

/// The process's descriptors; a new one gets the lowest free number.
pub struct FdTable {
    fds: BTreeMap<i32, Shared>,
}

impl FdTable {
    pub fn with_stdio() -> FdTable {
        let mut t = FdTable { fds: BTreeMap::new() };
        for d in [Description::Stdin, Description::Stdout, Description::Stderr] {
            t.insert(d);
        }
        t
    }

    /// Opens a new descriptor for `d` (`None`: the table is full).
    pub fn insert(&mut self, d: Description) -> Option<i32> {
        self.insert_from(Rc::new(RefCell::new(d)), 0)
    }

    /// A new descriptor numbered at least `min` for a shared description.
    pub fn insert_from(&mut self, d: Shared, min: i32) -> Option<i32> {
        let mut fd = min;
        for &used in self.fds.range(min..).map(|(k, _)| k) {
            if used != fd {
                break;
            }
            fd += 1;
        }
        if fd >= MAX_FDS {
            return None;
        }
        self.fds.insert(fd, d);
        Some(fd)
    }

    pub fn get(&self, fd: i32) -> Option<Shared> {
        self.fds.get(&fd).cloned()
    }

    /// Makes `fd` refer to `d`; returns what it referred to.
    pub fn replace(&mut self, fd: i32, d: Shared) -> Option<Shared> {
        self.fds.insert(fd, d)
    }

    pub fn remove(&mut self, fd: i32) -> Option<Shared> {
        self.fds.remove(&fd)
    }

    /// The I/O object `id` changed: the edge-triggered epoll interests in it have news.
    pub fn note_io_change(&mut self, id: u64) {
        for d in self.fds.values() {
            if let Description::Epoll(set) = &mut *d.borrow_mut() {
                for i in set.interests.values_mut().filter(|i| i.objects.contains(&id)) {
                    i.pending = true;
                }
            }
        }
    }
}

impl Machine<'_> {
    pub(crate) fn fd_shim(&mut self, shim: FdShim, ret: CallReturn) -> Res<()> {
        use FdShim::*;
        match shim {
            Pipe | Pipe2 | Socketpair | Eventfd | EpollCreate | EpollCreate1 => return self.create_io_object(shim, ret),
            Poll => return self.poll(ret),
            _ => {}
        }
        let fd = self.arg_u64(0) as u32 as i32;
        let Some(desc) = self.os.fds.get(fd) else {
            // (`isatty` answers "no" rather than -1.)
            self.set_errno(EBADF)?;
            return self.complete_call(ret, if shim == Isatty { 0 } else { -1 });
        };
        self.note_host_socket_use(&desc);
        match shim {
            Read | Pread => {
                let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                let offset = (shim == Pread).then(|| self.arg_u64(3));
                match self.fd_read(&desc, n, offset)? {
                    Transfer::Done(data) => {
                        self.mem.write(buf, &data, &[])?;
                        self.complete_call(ret, data.len() as i64)
                    }
                    other => self.transfer_failed(&desc, other, ret),
                }
            }
            Write | Pwrite => {
                let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                let offset = (shim == Pwrite).then(|| self.arg_u64(3));
                let bytes = self.mem.read_init(buf, n)?.to_vec();
                match self.fd_write(&desc, &bytes, offset)? {
                    Transfer::Done(written) => self.complete_call(ret, written as i64),
                    other => self.transfer_failed(&desc, other, ret),
                }
            }
            Readv | Writev | Preadv | Pwritev => {
                let (iov, count) = (self.arg_ptr(1), self.arg_u64(2));
                let offset = matches!(shim, Preadv | Pwritev).then(|| self.arg_u64(3));
                let mut parts = Vec::new();
                for i in 0..count {
                    let base = self.ptr_at(iov.offset(i * 16))?;
                    let (len, _) = self.mem.read_scalar(iov.offset(i * 16 + 8), 8)?;
                    parts.push((base, len as u64));
                }
                let total: u64 = parts.iter().map(|p| p.1).sum();
                if matches!(shim, Readv | Preadv) {
                    let data = match self.fd_read(&desc, total, offset)? {
                        Transfer::Done(d) => d,
                        other => return self.transfer_failed(&desc, other, ret),
                    };
                    let mut rest = &data[..];
                    for (p, len) in parts {
                        let take = (len as usize).min(rest.len());
                        self.mem.write(p, &rest[..take], &[])?;
                        rest = &rest[take..];
                    }
                    self.complete_call(ret, data.len() as i64)
                } else {
                    let mut bytes = Vec::with_capacity(total as usize);
                    for (p, len) in parts {
                        bytes.extend_from_slice(self.mem.read_init(p, len)?);
                    }
                    match self.fd_write(&desc, &bytes, offset)? {
                        Transfer::Done(written) => self.complete_call(ret, written as i64),
                        other => self.transfer_failed(&desc, other, ret),
                    }
                }
            }
            Lseek => {
                let (off, whence) = (self.arg_u64(1) as i64, self.arg_u64(2) as u32);
                let r = match &mut *desc.borrow_mut() {
                    Description::File(f) => f.seek(off, whence),
                    _ => Err(ESPIPE),
                };
                match r {
                    Ok(pos) => self.complete_call(ret, pos as i64),
                    Err(e) => self.fail_call(ret, e),
                }
            }
            Close => {
                drop(self.os.fds.remove(fd));
                self.release(desc)?;
                self.complete_call(ret, 0)
            }
            Dup => match self.os.fds.insert_from(desc, 0) {
                Some(new) => self.complete_call(ret, new as i64),
                None => Err(fd_table_full()),
            },
            Dup2 | Dup3 => {
                let new = self.arg_u64(1) as u32 as i32;
                if !(0..MAX_FDS).contains(&new) || (shim == Dup3 && new == fd) {
                    return self.fail_call(ret, if new == fd { EINVAL } else { EBADF });
                }
                if new != fd
                    && let Some(old) = self.os.fds.replace(new, desc)
                {
                    self.release(old)?;
                }
                self.complete_call(ret, new as i64)
            }
            Fcntl => self.fcntl(desc, ret),
            Isatty => {
                use std::io::IsTerminal;
                let tty = match &*desc.borrow() {
                    _ if self.isolated() => false,
                    Description::Stdin => std::io::stdin().is_terminal(),
                    Description::Stdout => std::io::stdout().is_terminal(),
                    Description::Stderr => std::io::stderr().is_terminal(),
                    _ => false,
                };
                if tty {
                    self.complete_call(ret, 1)
                } else {
                    self.set_errno(ENOTTY)?;
                    self.complete_call(ret, 0)
                }
            }
            Fstat => {
                let buf = self.arg_ptr(1);
                let mode = match &*desc.borrow() {
                    Description::Pipe { .. } => Some(0o010600),
                    Description::Socket { .. } | Description::HostSocket { .. } => Some(0o140777),
                    Description::EventFd { .. } | Description::Epoll(_) => Some(0o100600),
                    _ => None,
                };
                // Emulated objects have nothing of the host to hide.
                if let Some(mode) = mode {
                    self.write_synthetic_stat(buf, mode)?;
                    return self.complete_call(ret, 0);
                }
                if self.isolated() {
                    self.reject_in_isolation("`fstat`")?;
                    return self.fail_call(ret, EBADF);
                }
                let meta = match &*desc.borrow() {
                    Description::File(f) => f.file.metadata(),
                    _ => std::fs::metadata(format!("/proc/self/fd/{fd}")),
                };
                match meta {
                    Ok(m) => {
                        self.write_stat(buf, &m)?;
                        self.complete_call(ret, 0)
                    }
                    Err(e) => self.fail_io(ret, e),
                }
            }
            Fsync | Fdatasync | Ftruncate => {
                let r = match &*desc.borrow() {
                    Description::File(f) => match shim {
                        Fsync => f.file.sync_all(),
                        Fdatasync => f.file.sync_data(),
                        _ if !f.writable => Err(std::io::Error::from_raw_os_error(EINVAL)),
                        _ => f.file.set_len(self.arg_u64(1)),
                    },
                    _ => Err(std::io::Error::from_raw_os_error(EINVAL)),
                };
                match r {
                    Ok(()) => self.complete_call(ret, 0),
                    Err(e) => self.fail_io(ret, e),
                }
            }
            Flock => {
                let op = self.arg_u64(1);
                let r = match &*desc.borrow() {
                    Description::File(f) => match op & !LOCK_NB {
                        LOCK_SH | LOCK_EX => {
                            let got = if op & !LOCK_NB == LOCK_SH { f.file.try_lock_shared() } else { f.file.try_lock() };
                            match got {
                                Ok(()) => Ok(()),
                                Err(std::fs::TryLockError::WouldBlock) if op & LOCK_NB != 0 => {
                                    Err(std::io::Error::from_raw_os_error(EAGAIN))
                                }
                                Err(std::fs::TryLockError::WouldBlock) => {
                                    return Err(Error::unsupported("blocking `flock` on a file another descriptor holds"));
                                }
                                Err(std::fs::TryLockError::Error(e)) => Err(e),
                            }
                        }
                        LOCK_UN => f.file.unlock(),
                        _ => Err(std::io::Error::from_raw_os_error(EINVAL)),
                    },
                    d => return Err(Error::unsupported(format!("`flock` on {}", d.name()))),
                };
                match r {
                    Ok(()) => self.complete_call(ret, 0),
                    Err(e) => self.fail_io(ret, e),
                }
            }
            Sendfile | Splice => self.fail_call(ret, super::errno::ENOSYS),
            EpollCtl => self.epoll_ctl(fd, desc, ret),
            Ioctl => self.ioctl(desc, ret),
            EpollWait | EpollPwait => self.epoll_wait(desc, ret),
            Pipe | Pipe2 | Socketpair | Eventfd | EpollCreate | EpollCreate1 | Poll => unreachable!("handled above"),
        }
    }

    /// Reads up to `n` bytes (at `offset`, for `pread`).
    fn fd_read(&mut self, desc: &Shared, n: u64, offset: Option<u64>) -> Res<Transfer<Vec<u8>>> {
        let n = match &*desc.borrow() {
            Description::File(_) => self.short_len(n),
            _ => n,
        };
        let seekable = matches!(&*desc.borrow(), Description::File(_));
        if offset.is_some() && !seekable {
            return Ok(Transfer::Failed(ESPIPE));
        }
        let mut d = desc.borrow_mut();
        let done = |r: Result<Vec<u8>, i32>| match r {
            Ok(v) => Transfer::Done(v),
            Err(e) => Transfer::Failed(e),
        };
        Ok(match &mut *d {
            Description::Stdin => {
                self.require_no_isolation("`read` from stdin")?;
                use std::io::Read as _;
                let mut data = vec![0u8; n as usize];
                done(std::io::stdin().lock().read(&mut data).map(|got| data[..got].to_vec()).map_err(errno_of))
            }
            Description::Stdout | Description::Stderr => Transfer::Failed(EBADF),
            Description::Epoll(_) => Transfer::Failed(EINVAL),
            Description::File(f) => done(f.read(n, offset)),
            Description::HostSocket { fd, .. } => {
                let mut data = vec![0u8; n as usize];
                // SAFETY: `data` has `n` bytes.
                let r =
                    unsafe { super::host::recvfrom(fd.0, data.as_mut_ptr(), data.len(), 0, std::ptr::null_mut(), std::ptr::null_mut()) };
                match r {
                    r if r >= 0 => {
                        data.truncate(r as usize);
                        Transfer::Done(data)
                    }
                    _ if super::host::errno() == EAGAIN => Transfer::WouldBlockHost(fd.0, super::net::POLLIN),
                    _ => Transfer::Failed(super::host::errno()),
                }
            }
            Description::Pipe { write_end: true, .. } => Transfer::Failed(EBADF),
            Description::Pipe { chan, .. } | Description::Socket { rx: chan, .. } => {
                let mut c = chan.borrow_mut();
                if n == 0 {
                    Transfer::Done(Vec::new())
                } else if c.data.is_empty() {
                    if c.writer_closed { Transfer::Done(Vec::new()) } else { Transfer::WouldBlock(c.id) }
                } else {
                    let take = (n as usize).min(c.data.len());
                    let data: Vec<u8> = c.data.drain(..take).collect();
                    self.mem.race_acquire(&c.clock);
                    let id = c.id;
                    drop(c);
                    drop(d);
                    self.wake_io(id)?;
                    Transfer::Done(data)
                }
            }
            Description::EventFd { ev, .. } => {
                if n < 8 {
                    Transfer::Failed(EINVAL)
                } else if ev.counter == 0 {
                    Transfer::WouldBlock(ev.id)
                } else {
                    let v = std::mem::take(&mut ev.counter);
                    self.mem.race_acquire(&ev.clock);
                    let id = ev.id;
                    drop(d);
                    self.wake_io(id)?;
                    Transfer::Done(v.to_le_bytes().to_vec())
                }
            }
        })
    }

    /// Writes `bytes` (at `offset`, for `pwrite`): how many were written.
    fn fd_write(&mut self, desc: &Shared, bytes: &[u8], offset: Option<u64>) -> Res<Transfer<u64>> {
        let n = match &*desc.borrow() {
            Description::File(_) => self.short_len(bytes.len() as u64),
            _ => bytes.len() as u64,
        };
        let bytes = &bytes[..n as usize];
        let seekable = matches!(&*desc.borrow(), Description::File(_));
        if offset.is_some() && !seekable {
            return Ok(Transfer::Failed(ESPIPE));
        }
        let mut d = desc.borrow_mut();
        Ok(match &mut *d {
            Description::Stdin => Transfer::Failed(EBADF),
            Description::Epoll(_) => Transfer::Failed(EINVAL),
            Description::HostSocket { fd, .. } => {
                const MSG_NOSIGNAL: i32 = 0x4000;
                // SAFETY: `bytes` holds its length.
                let r = unsafe { super::host::sendto(fd.0, bytes.as_ptr(), bytes.len(), MSG_NOSIGNAL, std::ptr::null(), 0) };
                match r {
                    r if r >= 0 => Transfer::Done(r as u64),
                    _ if super::host::errno() == EAGAIN => Transfer::WouldBlockHost(fd.0, super::net::POLLOUT),
                    _ => Transfer::Failed(super::host::errno()),
                }
            }
            Description::Stdout => {
                self.os.write_stdio(1, bytes);
                Transfer::Done(n)
            }
            Description::Stderr => {
                self.os.write_stdio(2, bytes);
                Transfer::Done(n)
            }
            Description::File(f) if !f.writable => Transfer::Failed(EBADF),
            Description::File(f) => match f.write(bytes, offset) {
                Ok(w) => Transfer::Done(w),
                Err(e) => Transfer::Failed(e),
            },
            Description::Pipe { write_end: false, .. } => Transfer::Failed(EBADF),
            Description::Pipe { chan, .. } | Description::Socket { tx: chan, .. } => {
                let mut c = chan.borrow_mut();
                if c.reader_closed {
                    Transfer::Failed(EPIPE)
                } else if n == 0 {
                    Transfer::Done(0)
                } else if c.data.len() >= PIPE_CAPACITY {
                    Transfer::WouldBlock(c.id)
                } else {
                    let put = (n as usize).min(PIPE_CAPACITY - c.data.len());
                    c.data.extend(&bytes[..put]);
                    let clock = self.mem.race_release();
                    c.clock.join(&clock);
                    let id = c.id;
                    drop(c);
                    drop(d);
                    self.wake_io(id)?;
                    Transfer::Done(put as u64)
                }
            }
            Description::EventFd { ev, .. } => {
                let v = bytes.get(..8).map(|b| u64::from_le_bytes(b.try_into().unwrap()));
                match v {
                    None | Some(u64::MAX) => Transfer::Failed(EINVAL),
                    Some(v) if v > EVENTFD_MAX - ev.counter => Transfer::WouldBlock(ev.id),
                    Some(v) => {
                        ev.counter += v;
                        let clock = self.mem.race_release();
                        ev.clock.join(&clock);
                        let id = ev.id;
                        drop(d);
                        self.wake_io(id)?;
                        Transfer::Done(8)
                    }
                }
            }
        })
    }

    /// A read or write that did not transfer: fails the call, or blocks the thread until
    /// the object changes (then the call runs again).
    fn transfer_failed<T>(&mut self, desc: &Shared, t: Transfer<T>, ret: CallReturn) -> Res<()> {
        match t {
            Transfer::Done(_) => unreachable!("a transfer that was done"),
            Transfer::Failed(e) => self.fail_call(ret, e),
            Transfer::WouldBlock(_) if desc.borrow().nonblock() => self.fail_call(ret, EAGAIN),
            Transfer::WouldBlock(id) => {
                self.block_current(BlockReason::Io(id), None, Resume::Retry);
                Ok(())
            }
            Transfer::WouldBlockHost(..) if desc.borrow().nonblock() => self.fail_call(ret, EAGAIN),
            Transfer::WouldBlockHost(fd, events) => self.block_on_host(fd, events),
        }
    }

    /// The last descriptor of `desc` was closed (when nothing else holds it): the other ends
    /// of its pipes see it.
    fn release(&mut self, desc: Shared) -> Res<()> {
        if Rc::strong_count(&desc) > 1 {
            return Ok(());
        }
        let mut wake = Vec::new();
        match &*desc.borrow() {
            Description::Pipe { chan, write_end, .. } => {
                let mut c = chan.borrow_mut();
                if *write_end {
                    c.writer_closed = true;
                } else {
                    c.reader_closed = true;
                }
                wake.push(c.id);
            }
            Description::Socket { rx, tx, .. } => {
                rx.borrow_mut().reader_closed = true;
                tx.borrow_mut().writer_closed = true;
                wake.extend([rx.borrow().id, tx.borrow().id]);
            }
            _ => {}
        }
        for id in wake {
            self.wake_io(id)?;
        }
        Ok(())
    }

    /// `pipe(fds)`, `pipe2(fds, flags)`, `socketpair(domain, type, protocol, fds)`,
    /// `eventfd(initval, flags)`.
    fn create_io_object(&mut self, shim: FdShim, ret: CallReturn) -> Res<()> {
        let ends: Vec<Description> = match shim {
            FdShim::Pipe | FdShim::Pipe2 => {
                let flags = if shim == FdShim::Pipe2 { self.arg_u64(1) as u32 as u64 } else { 0 };
                if flags & !(O_NONBLOCK as u64 | O_CLOEXEC) != 0 {
                    return Err(Error::unsupported(format!("`pipe2` with flags {flags:#o}")));
                }
                let nonblock = flags & O_NONBLOCK as u64 != 0;
                let chan = Channel::new(self.os.next_io_id());
                vec![
                    Description::Pipe { chan: chan.clone(), write_end: false, nonblock },
                    Description::Pipe { chan, write_end: true, nonblock },
                ]
            }
            FdShim::Socketpair => {
                let (domain, ty, protocol) = (self.arg_u64(0) as u32 as u64, self.arg_u64(1) as u32 as u64, self.arg_u64(2));
                if domain != AF_UNIX || ty & !SOCK_FLAGS != SOCK_STREAM || protocol != 0 {
                    return Err(Error::unsupported(format!(
                        "`socketpair` other than AF_UNIX, SOCK_STREAM (domain {domain}, type {ty:#x}, protocol {protocol})"
                    )));
                }
                let nonblock = ty & super::net::SOCK_NONBLOCK as u64 != 0;
                let (a, b) = (Channel::new(self.os.next_io_id()), Channel::new(self.os.next_io_id()));
                vec![Description::Socket { rx: a.clone(), tx: b.clone(), nonblock }, Description::Socket { rx: b, tx: a, nonblock }]
            }
            FdShim::EpollCreate | FdShim::EpollCreate1 => {
                let arg = self.arg_u64(0) as u32 as i32;
                let bad = if shim == FdShim::EpollCreate { arg <= 0 } else { arg as u64 & !O_CLOEXEC != 0 };
                if bad {
                    return self.fail_call(ret, EINVAL);
                }
                vec![Description::Epoll(EpollSet { id: self.os.next_io_id(), interests: Default::default() })]
            }
            _ => {
                let (init, flags) = (self.arg_u64(0) as u32 as u64, self.arg_u64(1) as u32 as u64);
                if flags & EFD_SEMAPHORE != 0 {
                    return Err(Error::unsupported("`eventfd` with EFD_SEMAPHORE"));
                }
                if flags & !(O_NONBLOCK as u64 | O_CLOEXEC) != 0 {
                    return self.fail_call(ret, EINVAL);
                }
                let ev = EventFd { id: self.os.next_io_id(), counter: init, clock: VClock::default() };
                vec![Description::EventFd { ev, nonblock: flags & O_NONBLOCK as u64 != 0 }]
            }
        };
        let mut fds = Vec::new();
        for d in ends {
            match self.os.fds.insert(d) {
                Some(fd) => fds.push(fd),
                None => {
                    for fd in fds {
                        self.os.fds.remove(fd);
                    }
                    return Err(fd_table_full());
                }
            }
        }
        if fds.len() == 1 {
            return self.complete_call(ret, fds[0] as i64);
        }
        let out = self.arg_ptr(if shim == FdShim::Socketpair { 3 } else { 0 });
        for (i, fd) in fds.iter().enumerate() {
            self.mem.write_scalar(out.offset(i as u64 * 4), 4, *fd as u32 as u128, crate::memory::Prov::NONE)?;
        }
        self.complete_call(ret, 0)
    }

    /// A host file's read or write of `n` bytes may be cut to half (by the seeded random
    /// source), so that programs are tested for handling short transfers; not with
    /// `-Zmiri-no-short-fd-operations`.
    fn short_len(&mut self, n: u64) -> u64 {
        if self.os.config.short_fd_ops && n >= 2 && self.os.random_bytes(1)[0] & 1 == 1 { n / 2 } else { n }
    }

    fn fcntl(&mut self, desc: Shared, ret: CallReturn) -> Res<()> {
        let cmd = self.arg_u64(1) as u32 as u64;
        match cmd {
            F_GETFD => self.complete_call(ret, FD_CLOEXEC),
            F_SETFD => self.complete_call(ret, 0),
            F_DUPFD | F_DUPFD_CLOEXEC => {
                self.require_args("fcntl", 3)?;
                let min = self.arg_u64(2) as u32 as i32;
                if !(0..MAX_FDS).contains(&min) {
                    return self.fail_call(ret, EINVAL);
                }
                match self.os.fds.insert_from(desc, min) {
                    Some(new) => self.complete_call(ret, new as i64),
                    None => Err(fd_table_full()),
                }
            }
            F_GETFL => {
                let flags = match &*desc.borrow() {
                    Description::Stdin => 0,
                    Description::Stdout | Description::Stderr => 1,
                    Description::File(f) => f.status_flags(),
                    Description::Pipe { write_end, .. } => *write_end as i64,
                    Description::Socket { .. } | Description::EventFd { .. } | Description::Epoll(_) | Description::HostSocket { .. } => {
                        O_RDWR
                    }
                };
                let nonblock = if desc.borrow().nonblock() { O_NONBLOCK } else { 0 };
                self.complete_call(ret, flags | nonblock)
            }
            // Only O_NONBLOCK matters (files never block; O_APPEND cannot change here).
            F_SETFL => {
                self.require_args("fcntl", 3)?;
                let on = self.arg_u64(2) as i64 & O_NONBLOCK != 0;
                if let Description::Pipe { nonblock, .. }
                | Description::Socket { nonblock, .. }
                | Description::EventFd { nonblock, .. }
                | Description::HostSocket { nonblock, .. } = &mut *desc.borrow_mut()
                {
                    *nonblock = on;
                }
                self.complete_call(ret, 0)
            }
            _ => Err(Error::unsupported(format!("fcntl: unsupported command {cmd:#x}"))),
        }
    }

    /// `epoll_ctl(epfd, op, fd, event)`.
    fn epoll_ctl(&mut self, epfd: i32, ep: Shared, ret: CallReturn) -> Res<()> {
        const ADD: u64 = 1;
        const DEL: u64 = 2;
        const MOD: u64 = 3;
        let (op, fd, event) = (self.arg_u64(1) as u32 as u64, self.arg_u64(2) as u32 as i32, self.arg_ptr(3));
        let Some(target) = self.os.fds.get(fd) else { return self.fail_call(ret, EBADF) };
        if fd == epfd || !matches!(&*ep.borrow(), Description::Epoll(_)) {
            return self.fail_call(ret, EINVAL);
        }
        let Some(objects) = target.borrow().io_objects() else {
            // Regular files are always ready: Linux refuses to watch them.
            return self.fail_call(ret, EPERM);
        };
        let (events, data) = if op == DEL {
            (0, 0)
        } else {
            let (events, _) = self.mem.read_scalar(event, 4)?;
            let (data, _) = self.mem.read_scalar(event.offset(4), 8)?;
            (events as u32, data as u64)
        };
        if events & (EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP) != 0 {
            return Err(Error::unsupported(format!("epoll_ctl: events {:#x} (EPOLLONESHOT, EPOLLEXCLUSIVE, EPOLLWAKEUP)", events)));
        }
        let id = {
            let mut e = ep.borrow_mut();
            let Description::Epoll(set) = &mut *e else { unreachable!("checked above") };
            let exists = set.interests.contains_key(&fd);
            match op {
                ADD | MOD if (op == ADD) == exists => {
                    drop(e);
                    return self.fail_call(ret, if exists { super::errno::EEXIST } else { ENOENT });
                }
                ADD | MOD => {
                    let interest = Interest {
                        desc: Rc::downgrade(&target),
                        events: events & !EPOLLET,
                        data,
                        edge: events & EPOLLET != 0,
                        pending: true,
                        seen: 0,
                        objects,
                    };
                    set.interests.insert(fd, interest);
                }
                DEL if set.interests.remove(&fd).is_none() => {
                    drop(e);
                    return self.fail_call(ret, ENOENT);
                }
                DEL => {}
                _ => {
                    drop(e);
                    return self.fail_call(ret, EINVAL);
                }
            }
            set.id
        };
        // A thread waiting on this instance may have something to report now.
        self.wake_io(id)?;
        self.complete_call(ret, 0)
    }

    /// `epoll_wait(epfd, events, maxevents, timeout)`: reports what is ready, or waits.
    fn epoll_wait(&mut self, ep: Shared, ret: CallReturn) -> Res<()> {
        let (out, max, timeout) = (self.arg_ptr(1), self.arg_u64(2) as u32 as i32, self.arg_u64(3) as u32 as i32);
        let retried = self.retried.and_then(|r| r.deadline);
        if max <= 0 {
            return self.fail_call(ret, EINVAL);
        }
        let (ready, host_watch) = match &mut *ep.borrow_mut() {
            Description::Epoll(set) => (set.collect_ready(max as usize), set.host_watch()),
            _ => return self.fail_call(ret, EINVAL),
        };
        if ready.is_empty() {
            return self.wait_for_io(timeout, retried, host_watch, ret);
        }
        // `struct epoll_event` is packed on x86_64: 4 bytes of events, 8 of data.
        for (i, (events, data)) in ready.iter().enumerate() {
            let p = out.offset(i as u64 * 12);
            self.mem.write_scalar(p, 4, *events as u128, crate::memory::Prov::NONE)?;
            self.mem.write_scalar(p.offset(4), 8, *data as u128, crate::memory::Prov::NONE)?;
        }
        self.complete_call(ret, ready.len() as i64)
    }

    /// `poll(fds, nfds, timeout)`.
    fn poll(&mut self, ret: CallReturn) -> Res<()> {
        let (fds, n, timeout) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2) as u32 as i32);
        let retried = self.retried.and_then(|r| r.deadline);
        let mut count = 0;
        let mut host_watch = Vec::new();
        for i in 0..n {
            let p = fds.offset(i * 8);
            let (fd, _) = self.mem.read_scalar(p, 4)?;
            let (events, _) = self.mem.read_scalar(p.offset(4), 2)?;
            let fd = fd as u32 as i32;
            let revents = if fd < 0 {
                0
            } else {
                match self.os.fds.get(fd) {
                    Some(d) => {
                        if let Description::HostSocket { fd, id, .. } = &*d.borrow() {
                            host_watch.push(HostWatch { fd: fd.0, events: events as i16, id: *id });
                        }
                        d.borrow().readiness() & (events as u32 | EPOLLERR | EPOLLHUP)
                    }
                    None => POLLNVAL,
                }
            };
            self.mem.write_scalar(p.offset(6), 2, revents as u128, crate::memory::Prov::NONE)?;
            count += (revents != 0) as i64;
        }
        if count > 0 {
            return self.complete_call(ret, count);
        }
        self.wait_for_io(timeout, retried, host_watch, ret)
    }

    /// Nothing is ready for `poll`/`epoll_wait`: return 0 (time-out 0 or passed), or block
    /// until an I/O object changes, one of the host sockets in `host_watch` becomes ready
    /// (then the call runs again) or the time-out passes.
    fn wait_for_io(&mut self, timeout_ms: i32, retried: Option<u128>, host_watch: Vec<HostWatch>, ret: CallReturn) -> Res<()> {
        if timeout_ms == 0 {
            return self.complete_call(ret, 0);
        }
        self.threads.active_mut().host_watch = host_watch;
        if timeout_ms < 0 {
            self.block_current(BlockReason::Poll, None, Resume::Retry);
            return Ok(());
        }
        let deadline = retried.unwrap_or_else(|| self.now_nanos() + timeout_ms as u128 * 1_000_000);
        if self.now_nanos() >= deadline {
            return self.complete_call(ret, 0);
        }
        self.block_current(BlockReason::Poll, Some(deadline), Resume::RetryUntil { ret, deadline });
        Ok(())
    }

    /// A call on a host socket: the program may have consumed or produced what made it
    /// ready, so its edge-triggered epoll interests report its next readiness again (the
    /// host's own edges are invisible; a spurious report is harmless, a missed one hangs).
    pub(crate) fn note_host_socket_use(&mut self, desc: &Shared) {
        let id = match &*desc.borrow() {
            Description::HostSocket { id, .. } => *id,
            _ => return,
        };
        self.os.fds.note_io_change(id);
    }

    /// Fails a call with the host error's errno (the host is Linux: the numbers are the same).
    pub(crate) fn fail_io(&mut self, ret: CallReturn, e: std::io::Error) -> Res<()> {
        self.fail_call(ret, errno_of(e))
    }

    /// The pointer stored at `p`, for arrays of pointers such as `iovec`s.
    pub(crate) fn ptr_at(&self, p: Ptr) -> Res<Ptr> {
        let (addr, prov) = self.mem.read_scalar(p, 8)?;
        Ok(Ptr { addr: addr as u64, prov })
    }
}

/// The table is full: the program stops (rather than see `EMFILE`), as for memory.
pub(crate) fn fd_table_full() -> Error {
    Error::exhausted(format!("too many open file descriptors: {MAX_FDS} are open"))
}

pub(crate) fn errno_of(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(EPERM)
}
