//! The host's C library, for what the emulated OS passes through to the host (sockets,
//! name resolution, readiness, `uname`, local time): the one place Vigil calls it directly.

#[repr(C)]
pub struct PollFd {
    pub fd: i32,
    pub events: i16,
    pub revents: i16,
}

unsafe extern "C" {
    pub fn socket(domain: i32, ty: i32, protocol: i32) -> i32;
    pub fn bind(fd: i32, addr: *const u8, len: u32) -> i32;
    pub fn listen(fd: i32, backlog: i32) -> i32;
    pub fn accept4(fd: i32, addr: *mut u8, len: *mut u32, flags: i32) -> i32;
    pub fn connect(fd: i32, addr: *const u8, len: u32) -> i32;
    pub fn sendto(fd: i32, buf: *const u8, len: usize, flags: i32, addr: *const u8, alen: u32) -> isize;
    pub fn recvfrom(fd: i32, buf: *mut u8, len: usize, flags: i32, addr: *mut u8, alen: *mut u32) -> isize;
    pub fn setsockopt(fd: i32, level: i32, name: i32, val: *const u8, len: u32) -> i32;
    pub fn getsockopt(fd: i32, level: i32, name: i32, val: *mut u8, len: *mut u32) -> i32;
    pub fn getsockname(fd: i32, addr: *mut u8, len: *mut u32) -> i32;
    pub fn getpeername(fd: i32, addr: *mut u8, len: *mut u32) -> i32;
    pub fn shutdown(fd: i32, how: i32) -> i32;
    pub fn close(fd: i32) -> i32;
    pub fn getaddrinfo(node: *const i8, service: *const i8, hints: *const u8, res: *mut *mut u8) -> i32;
    pub fn freeaddrinfo(res: *mut u8);
    pub fn gai_strerror(code: i32) -> *const i8;
    pub fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
    pub fn uname(buf: *mut u8) -> i32;
    pub fn localtime_r(t: *const i64, tm: *mut u8) -> *mut u8;
    fn __errno_location() -> *mut i32;
}

/// The host's errno after a failed call.
pub fn errno() -> i32 {
    // SAFETY: the C library's thread-local errno.
    unsafe { *__errno_location() }
}

/// What each of `fds` (host descriptors with the events wanted) is ready for within
/// `timeout_ms` (0: now, -1: no limit), as `poll`'s `revents`.
pub fn ready(fds: &[(i32, i16)], timeout_ms: i32) -> Vec<i16> {
    let mut p: Vec<PollFd> = fds.iter().map(|&(fd, events)| PollFd { fd, events, revents: 0 }).collect();
    // SAFETY: a valid array of `p.len()` entries.
    let n = unsafe { poll(p.as_mut_ptr(), p.len() as u64, timeout_ms) };
    if n <= 0 {
        return vec![0; fds.len()];
    }
    p.iter().map(|f| f.revents).collect()
}
