//! Sockets of the host (isolation off): `socket`, `bind`, `listen`, `accept`, `connect`,
//! `send`/`recv` and friends on a host socket kept non-blocking. A call the program made on a
//! blocking socket that would block blocks the thread until the host socket is ready (the
//! scheduler polls the host for it), then runs again. Addresses and options are passed through
//! as the program wrote them (the host is x86_64 Linux, like the target).

use vigil_ir::NetShim;

use super::errno::{EACCES, EAGAIN, EBADF, EINVAL};
use super::fd::{Description, HostFd};
use super::host;
use crate::Machine;
use crate::concurrency::{BlockReason, CallReturn, Resume};
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};

pub const SOCK_NONBLOCK: i32 = 0o4000;
pub const SOCK_CLOEXEC: i32 = 0o2000000;
const EINPROGRESS: i32 = 115;
const EALREADY: i32 = 114;
const EISCONN: i32 = 106;
/// `struct addrinfo` on x86_64 Linux, and where its `ai_next` is.
const ADDRINFO_SIZE: u64 = 48;
const AI_NEXT: u64 = 40;
pub const POLLIN: i16 = 0x1;
pub const POLLOUT: i16 = 0x4;

impl Machine<'_> {
    pub(crate) fn net_shim(&mut self, shim: NetShim, ret: CallReturn) -> Res<()> {
        use NetShim::*;
        match shim {
            Getaddrinfo => return self.getaddrinfo(ret),
            Freeaddrinfo => {
                let mut p = self.arg_ptr(0);
                while p.addr != 0 {
                    let next = self.ptr_at(p.offset(AI_NEXT))?;
                    self.mem.deallocate(p, None, crate::memory::AllocKind::C)?;
                    self.mem.set_free_site(p.prov, self.user_site());
                    p = next;
                }
                return self.complete_unit(ret);
            }
            GaiStrerror => {
                // SAFETY: the host returns a static string.
                let msg = unsafe { std::ffi::CStr::from_ptr(host::gai_strerror(self.arg_u64(0) as i32)) }.to_bytes().to_vec();
                let p = self.os.static_c_string(&mut self.mem, &msg);
                return self.complete_ptr(ret, p);
            }
            _ => {}
        }
        if shim == Socket {
            let (domain, ty, protocol) = (self.arg_u64(0) as i32, self.arg_u64(1) as i32, self.arg_u64(2) as i32);
            if self.isolated() {
                self.reject_in_isolation("`socket`")?;
                return self.fail_call(ret, EACCES);
            }
            // SAFETY: plain system call.
            let fd = unsafe { host::socket(domain, (ty & !SOCK_NONBLOCK) | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol) };
            if fd < 0 {
                return self.fail_call(ret, host::errno());
            }
            let d = Description::HostSocket { fd: HostFd(fd), id: self.os.next_io_id(), nonblock: ty & SOCK_NONBLOCK != 0 };
            return match self.os.fds.insert(d) {
                Some(fd) => self.complete_call(ret, fd as i64),
                None => Err(super::fd::fd_table_full()),
            };
        }
        let fd = self.arg_u64(0) as u32 as i32;
        let Some(desc) = self.os.fds.get(fd) else { return self.fail_call(ret, EBADF) };
        self.note_host_socket_use(&desc);
        let (host_fd, nonblock) = match &*desc.borrow() {
            Description::HostSocket { fd, nonblock, .. } => (fd.0, *nonblock),
            _ => return self.fail_call(ret, 88), // ENOTSOCK
        };
        match shim {
            Bind | Connect => {
                let (addr, len) = (self.arg_ptr(1), self.arg_u64(2) as u32);
                let bytes = self.mem.read_init(addr, len as u64)?.to_vec();
                // SAFETY: `bytes` holds `len` bytes.
                let r = unsafe {
                    if shim == Bind { host::bind(host_fd, bytes.as_ptr(), len) } else { host::connect(host_fd, bytes.as_ptr(), len) }
                };
                if r == 0 || shim == Bind {
                    return self.host_result(r as i64, ret);
                }
                match host::errno() {
                    // The connection under way when the thread blocked has been made.
                    EISCONN if self.retried.is_some() => self.complete_call(ret, 0),
                    EINPROGRESS | EALREADY if !nonblock => self.block_on_host(host_fd, POLLOUT),
                    e => self.fail_call(ret, e),
                }
            }
            Listen => {
                // SAFETY: plain system call.
                let r = unsafe { host::listen(host_fd, self.arg_u64(1) as i32) };
                self.host_result(r as i64, ret)
            }
            Accept | Accept4 => {
                let (addr, len_ptr) = (self.arg_ptr(1), self.arg_ptr(2));
                let flags = if shim == Accept4 { self.arg_u64(3) as i32 } else { 0 };
                let mut buf = [0u8; 128];
                let mut len = buf.len() as u32;
                // SAFETY: `buf` has `len` bytes.
                let r = unsafe { host::accept4(host_fd, buf.as_mut_ptr(), &mut len, SOCK_NONBLOCK | SOCK_CLOEXEC) };
                if r < 0 {
                    return self.would_block_or_fail(host_fd, POLLIN, nonblock, ret);
                }
                let d = Description::HostSocket { fd: HostFd(r), id: self.os.next_io_id(), nonblock: flags & SOCK_NONBLOCK != 0 };
                let Some(new) = self.os.fds.insert(d) else { return Err(super::fd::fd_table_full()) };
                self.write_sockaddr(addr, len_ptr, &buf[..len as usize])?;
                self.complete_call(ret, new as i64)
            }
            Send | Sendto => {
                let (buf, n, flags) = (self.arg_ptr(1), self.arg_u64(2), self.arg_u64(3) as i32);
                let bytes = self.mem.read_init(buf, n)?.to_vec();
                let (addr, alen) = if shim == Sendto { (self.arg_ptr(4), self.arg_u64(5) as u32) } else { (super::NULL, 0) };
                let addr_bytes = if addr.addr != 0 { self.mem.read_init(addr, alen as u64)?.to_vec() } else { Vec::new() };
                let a = if addr_bytes.is_empty() { std::ptr::null() } else { addr_bytes.as_ptr() };
                // SAFETY: the buffers hold what their lengths say.
                let r = unsafe { host::sendto(host_fd, bytes.as_ptr(), bytes.len(), flags, a, addr_bytes.len() as u32) };
                if r < 0 {
                    return self.would_block_or_fail(host_fd, POLLOUT, nonblock, ret);
                }
                self.complete_call(ret, r as i64)
            }
            Recv | Recvfrom => {
                let (buf, n, flags) = (self.arg_ptr(1), self.arg_u64(2), self.arg_u64(3) as i32);
                let mut data = vec![0u8; n as usize];
                let mut abuf = [0u8; 128];
                let mut alen = abuf.len() as u32;
                // SAFETY: the buffers hold what their lengths say.
                let r = unsafe { host::recvfrom(host_fd, data.as_mut_ptr(), data.len(), flags, abuf.as_mut_ptr(), &mut alen) };
                if r < 0 {
                    return self.would_block_or_fail(host_fd, POLLIN, nonblock, ret);
                }
                self.mem.write(buf, &data[..r as usize], &[])?;
                if shim == Recvfrom {
                    let (addr, len_ptr) = (self.arg_ptr(4), self.arg_ptr(5));
                    self.write_sockaddr(addr, len_ptr, &abuf[..alen.min(128) as usize])?;
                }
                self.complete_call(ret, r as i64)
            }
            Setsockopt => {
                let (level, name, val, len) = (self.arg_u64(1) as i32, self.arg_u64(2) as i32, self.arg_ptr(3), self.arg_u64(4) as u32);
                let bytes = self.mem.read_init(val, len as u64)?.to_vec();
                // SAFETY: `bytes` holds `len` bytes.
                let r = unsafe { host::setsockopt(host_fd, level, name, bytes.as_ptr(), len) };
                self.host_result(r as i64, ret)
            }
            Getsockopt | Getsockname | Getpeername => {
                let (val, len_ptr) =
                    if shim == Getsockopt { (self.arg_ptr(3), self.arg_ptr(4)) } else { (self.arg_ptr(1), self.arg_ptr(2)) };
                let mut buf = [0u8; 128];
                let mut len = buf.len() as u32;
                // SAFETY: `buf` has `len` bytes.
                let r = unsafe {
                    match shim {
                        Getsockopt => host::getsockopt(host_fd, self.arg_u64(1) as i32, self.arg_u64(2) as i32, buf.as_mut_ptr(), &mut len),
                        Getsockname => host::getsockname(host_fd, buf.as_mut_ptr(), &mut len),
                        _ => host::getpeername(host_fd, buf.as_mut_ptr(), &mut len),
                    }
                };
                if r < 0 {
                    return self.fail_call(ret, host::errno());
                }
                self.write_sockaddr(val, len_ptr, &buf[..len.min(128) as usize])?;
                self.complete_call(ret, 0)
            }
            Shutdown => {
                // SAFETY: plain system call.
                let r = unsafe { host::shutdown(host_fd, self.arg_u64(1) as i32) };
                self.host_result(r as i64, ret)
            }
            Socket | Getaddrinfo | Freeaddrinfo | GaiStrerror => unreachable!("handled above"),
        }
    }

    /// `getaddrinfo(node, service, hints, res)`: the host resolves; the answer is copied into
    /// the program's memory as a list of C allocations (`struct addrinfo`, its address and
    /// canonical name in one), which `freeaddrinfo` frees.
    fn getaddrinfo(&mut self, ret: CallReturn) -> Res<()> {
        const EAI_SYSTEM: i64 = -11;
        let (node, service, hints, res) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_ptr(2), self.arg_ptr(3));
        let c = |m: &Self, p: Ptr| -> Res<Option<std::ffi::CString>> {
            if p.addr == 0 { Ok(None) } else { Ok(Some(std::ffi::CString::new(m.read_c_string(p)?).expect("no NUL inside"))) }
        };
        let (node, service) = (c(self, node)?, c(self, service)?);
        if self.isolated() {
            self.reject_in_isolation("`getaddrinfo`")?;
            self.set_errno(EACCES)?;
            return self.complete_call(ret, EAI_SYSTEM);
        }
        // The hints' flags, family, type and protocol (its pointers must be null).
        let mut h = [0u8; ADDRINFO_SIZE as usize];
        if hints.addr != 0 {
            h[..16].copy_from_slice(self.mem.read_init(hints, 16)?);
        }
        let mut out: *mut u8 = std::ptr::null_mut();
        let cptr = |s: &Option<std::ffi::CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        // SAFETY: valid strings, hints and out-pointer.
        let code = unsafe {
            host::getaddrinfo(cptr(&node), cptr(&service), if hints.addr == 0 { std::ptr::null() } else { h.as_ptr() }, &mut out)
        };
        if code != 0 {
            if code as i64 == EAI_SYSTEM {
                self.set_errno(host::errno())?;
            }
            return self.complete_call(ret, code as i64);
        }
        // Copy the host's list, then free it.
        let mut entries = Vec::new();
        let mut p = out;
        while !p.is_null() {
            // SAFETY: a node of the host's list (`struct addrinfo`).
            unsafe {
                let head = std::slice::from_raw_parts(p, 16).to_vec();
                let addrlen = *(p.add(16) as *const u32) as usize;
                let addr = *(p.add(24) as *const *const u8);
                let canon = *(p.add(32) as *const *const i8);
                let addr_bytes = if addr.is_null() { Vec::new() } else { std::slice::from_raw_parts(addr, addrlen).to_vec() };
                let canon = (!canon.is_null()).then(|| std::ffi::CStr::from_ptr(canon).to_bytes_with_nul().to_vec());
                entries.push((head, addr_bytes, canon));
                p = *(p.add(AI_NEXT as usize) as *const *mut u8);
            }
        }
        // SAFETY: the list the host gave.
        unsafe { host::freeaddrinfo(out) };
        let mut next = super::NULL;
        for (head, addr, canon) in entries.into_iter().rev() {
            let size = ADDRINFO_SIZE + addr.len() as u64 + canon.as_ref().map_or(0, |c| c.len() as u64);
            let node = self.mem.allocate(size, 8, crate::memory::AllocKind::C);
            self.mem.set_alloc_site(node.prov, self.user_site());
            self.mem.write(node, &head, &[])?;
            self.mem.write_scalar(node.offset(16), 4, addr.len() as u128, Prov::NONE)?;
            let addr_at = node.offset(ADDRINFO_SIZE);
            self.mem.write(addr_at, &addr, &[])?;
            self.mem.write_scalar(node.offset(24), 8, addr_at.addr as u128, addr_at.prov)?;
            let canon_at = match &canon {
                Some(c) => {
                    let at = node.offset(ADDRINFO_SIZE + addr.len() as u64);
                    self.mem.write(at, c, &[])?;
                    at
                }
                None => super::NULL,
            };
            self.mem.write_scalar(node.offset(32), 8, canon_at.addr as u128, canon_at.prov)?;
            self.mem.write_scalar(node.offset(AI_NEXT), 8, next.addr as u128, next.prov)?;
            next = node;
        }
        self.mem.write_scalar(res, 8, next.addr as u128, next.prov)?;
        self.complete_call(ret, 0)
    }

    /// Stores an address (or option) the host returned into the program's buffer, cut to the
    /// room `*len_ptr` says it has, and the full length into `*len_ptr`.
    fn write_sockaddr(&mut self, buf: Ptr, len_ptr: Ptr, bytes: &[u8]) -> Res<()> {
        if buf.addr == 0 || len_ptr.addr == 0 {
            return Ok(());
        }
        let (room, _) = self.mem.read_scalar(len_ptr, 4)?;
        let n = bytes.len().min(room as usize);
        self.mem.write(buf, &bytes[..n], &[])?;
        self.mem.write_scalar(len_ptr, 4, bytes.len() as u128, Prov::NONE)
    }

    fn host_result(&mut self, r: i64, ret: CallReturn) -> Res<()> {
        if r < 0 { self.fail_call(ret, host::errno()) } else { self.complete_call(ret, r) }
    }

    /// A host call failed: if it would block and the program's socket blocks, the thread
    /// waits for the host socket; otherwise the call fails with the host's errno.
    fn would_block_or_fail(&mut self, host_fd: i32, events: i16, nonblock: bool, ret: CallReturn) -> Res<()> {
        match host::errno() {
            EAGAIN if !nonblock => self.block_on_host(host_fd, events),
            e => self.fail_call(ret, e),
        }
    }

    /// Blocks the thread until the host descriptor is ready for `events`; the call runs again.
    pub(crate) fn block_on_host(&mut self, host_fd: i32, events: i16) -> Res<()> {
        self.block_current(BlockReason::HostIo { fd: host_fd, events }, None, Resume::Retry);
        Ok(())
    }

    /// `ioctl(fd, FIONBIO | FIOCLEX | FIONCLEX, ...)`.
    pub(crate) fn ioctl(&mut self, desc: super::fd::Shared, ret: CallReturn) -> Res<()> {
        const FIONBIO: u64 = 0x5421;
        const FIONCLEX: u64 = 0x5450;
        const FIOCLEX: u64 = 0x5451;
        match self.arg_u64(1) & 0xffff_ffff {
            FIONBIO => {
                self.require_args("ioctl", 3)?;
                let (v, _) = self.mem.read_scalar(self.arg_ptr(2), 4)?;
                match &mut *desc.borrow_mut() {
                    Description::HostSocket { nonblock, .. }
                    | Description::Pipe { nonblock, .. }
                    | Description::Socket { nonblock, .. }
                    | Description::EventFd { nonblock, .. } => *nonblock = v != 0,
                    _ => return self.fail_call(ret, EINVAL),
                }
                self.complete_call(ret, 0)
            }
            FIOCLEX | FIONCLEX => self.complete_call(ret, 0),
            cmd => Err(Error::unsupported(format!("`ioctl` request {cmd:#x}"))),
        }
    }
}
