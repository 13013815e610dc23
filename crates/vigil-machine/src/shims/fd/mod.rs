//! The file-descriptor table (one per process, shared by all threads, with stdin, stdout and
//! stderr in it) and the calls on descriptors, whatever they refer to; each kind of
//! description is a module (`file.rs`: host files).

pub(crate) mod file;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use vigil_ir::FdShim;

use super::errno::{EBADF, EINVAL, ENOTTY, EPERM, ESPIPE};
use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::Ptr;
use file::HostFile;

const F_DUPFD: u64 = 0;
const F_GETFD: u64 = 1;
const F_SETFD: u64 = 2;
const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;
const F_DUPFD_CLOEXEC: u64 = 1030;
const FD_CLOEXEC: i64 = 1;
const LOCK_SH: u64 = 1;
const LOCK_EX: u64 = 2;
const LOCK_NB: u64 = 4;
const LOCK_UN: u64 = 8;
/// The most descriptors a process may have open (`EMFILE` beyond).
const MAX_FDS: i32 = 1024;

/// What a descriptor refers to (shared by the descriptors `dup` made).
pub enum Description {
    Stdin,
    Stdout,
    Stderr,
    File(HostFile),
}

impl Description {
    pub fn name(&self) -> &'static str {
        match self {
            Description::Stdin => "stdin",
            Description::Stdout => "stdout",
            Description::Stderr => "stderr",
            Description::File(_) => "a file",
        }
    }
}

pub type Shared = Rc<RefCell<Description>>;

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

    /// Makes `fd` refer to `d`, closing what it referred to.
    pub fn replace(&mut self, fd: i32, d: Shared) {
        self.fds.insert(fd, d);
    }

    pub fn remove(&mut self, fd: i32) -> Option<Shared> {
        self.fds.remove(&fd)
    }
}

impl Machine<'_> {
    pub(crate) fn fd_shim(&mut self, shim: FdShim, ret: CallReturn) -> Res<()> {
        use FdShim::*;
        let fd = self.arg_u64(0) as u32 as i32;
        let Some(desc) = self.os.fds.get(fd) else {
            // `poll` takes an array, not a descriptor.
            if shim != Poll {
                return self.fail_call(ret, EBADF);
            }
            return Err(Error::unsupported("can't call foreign function `poll` on OS `linux`"));
        };
        match shim {
            Read | Pread => {
                let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                let offset = (shim == Pread).then(|| self.arg_u64(3));
                let r = self.fd_read(&desc, n, offset)?;
                match r {
                    Ok(data) => {
                        self.mem.write(buf, &data, &[])?;
                        self.complete_call(ret, data.len() as i64)
                    }
                    Err(e) => self.fail_call(ret, e),
                }
            }
            Write | Pwrite => {
                let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                let offset = (shim == Pwrite).then(|| self.arg_u64(3));
                let bytes = self.mem.read_init(buf, n)?.to_vec();
                match self.fd_write(&desc, &bytes, offset)? {
                    Ok(written) => self.complete_call(ret, written as i64),
                    Err(e) => self.fail_call(ret, e),
                }
            }
            Readv | Writev => {
                let (iov, count) = (self.arg_ptr(1), self.arg_u64(2));
                let mut parts = Vec::new();
                for i in 0..count {
                    let base = self.ptr_at(iov.offset(i * 16))?;
                    let (len, _) = self.mem.read_scalar(iov.offset(i * 16 + 8), 8)?;
                    parts.push((base, len as u64));
                }
                let total: u64 = parts.iter().map(|p| p.1).sum();
                if shim == Readv {
                    let data = match self.fd_read(&desc, total, None)? {
                        Ok(d) => d,
                        Err(e) => return self.fail_call(ret, e),
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
                    match self.fd_write(&desc, &bytes, None)? {
                        Ok(written) => self.complete_call(ret, written as i64),
                        Err(e) => self.fail_call(ret, e),
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
                self.os.fds.remove(fd);
                self.complete_call(ret, 0)
            }
            Dup => match self.os.fds.insert_from(desc, 0) {
                Some(new) => self.complete_call(ret, new as i64),
                None => self.fail_call(ret, super::errno::EMFILE),
            },
            Dup2 | Dup3 => {
                let new = self.arg_u64(1) as u32 as i32;
                if !(0..MAX_FDS).contains(&new) || (shim == Dup3 && new == fd) {
                    return self.fail_call(ret, if new == fd { EINVAL } else { EBADF });
                }
                if new != fd {
                    self.os.fds.replace(new, desc);
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
                    Description::File(_) => false,
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
                                    Err(std::io::Error::from_raw_os_error(super::errno::EAGAIN))
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
            Poll => Err(Error::unsupported("can't call foreign function `poll` on OS `linux`")),
            Sendfile | Splice => self.fail_call(ret, super::errno::ENOSYS),
        }
    }

    /// Reads up to `n` bytes (at `offset`, for `pread`): the bytes, or an errno.
    fn fd_read(&mut self, desc: &Shared, n: u64, offset: Option<u64>) -> Res<Result<Vec<u8>, i32>> {
        let n = match &*desc.borrow() {
            Description::File(_) => self.short_len(n),
            _ => n,
        };
        let mut d = desc.borrow_mut();
        Ok(match &mut *d {
            Description::Stdin => {
                if offset.is_some() {
                    return Ok(Err(ESPIPE));
                }
                self.require_no_isolation("`read` from stdin")?;
                use std::io::Read as _;
                let mut data = vec![0u8; n as usize];
                std::io::stdin().lock().read(&mut data).map(|got| data[..got].to_vec()).map_err(errno_of)
            }
            Description::Stdout | Description::Stderr => Err(EBADF),
            Description::File(f) => f.read(n, offset),
        })
    }

    /// Writes `bytes` (at `offset`, for `pwrite`): how many were written, or an errno.
    fn fd_write(&mut self, desc: &Shared, bytes: &[u8], offset: Option<u64>) -> Res<Result<u64, i32>> {
        let n = match &*desc.borrow() {
            Description::File(_) => self.short_len(bytes.len() as u64),
            _ => bytes.len() as u64,
        };
        let bytes = &bytes[..n as usize];
        let mut d = desc.borrow_mut();
        Ok(match &mut *d {
            Description::Stdin => Err(EBADF),
            Description::Stdout | Description::Stderr if offset.is_some() => Err(ESPIPE),
            Description::Stdout => {
                self.os.write_stdio(1, bytes);
                Ok(n)
            }
            Description::Stderr => {
                self.os.write_stdio(2, bytes);
                Ok(n)
            }
            Description::File(f) if !f.writable => Err(EBADF),
            Description::File(f) => f.write(bytes, offset),
        })
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
                    None => self.fail_call(ret, super::errno::EMFILE),
                }
            }
            F_GETFL => {
                let flags = match &*desc.borrow() {
                    Description::Stdin => 0,
                    Description::Stdout | Description::Stderr => 1,
                    Description::File(f) => f.status_flags(),
                };
                self.complete_call(ret, flags)
            }
            // Only O_NONBLOCK and O_APPEND may change; files never block, so it is accepted.
            F_SETFL => {
                self.require_args("fcntl", 3)?;
                self.complete_call(ret, 0)
            }
            _ => Err(Error::unsupported(format!("fcntl: unsupported command {cmd:#x}"))),
        }
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

pub(crate) fn errno_of(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(EPERM)
}
