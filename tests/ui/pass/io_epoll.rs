// epoll over emulated objects under isolation: an eventfd and a pipe watched edge-triggered and
// level-triggered, a thread woken by epoll_wait when another thread writes, a time-out that expires on
// the virtual clock, and poll() on a pipe. (Miri supports only edge-triggered epoll and no poll(): it
// stops at the level-triggered interest.)
use std::thread;

#[repr(C, packed)]
#[derive(Clone, Copy)]
struct EpollEvent {
    events: u32,
    data: u64,
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

unsafe extern "C" {
    fn epoll_create1(flags: i32) -> i32;
    fn epoll_ctl(epfd: i32, op: i32, fd: i32, event: *mut EpollEvent) -> i32;
    fn epoll_wait(epfd: i32, events: *mut EpollEvent, max: i32, timeout: i32) -> i32;
    fn eventfd(init: u32, flags: i32) -> i32;
    fn pipe2(fds: *mut i32, flags: i32) -> i32;
    fn read(fd: i32, buf: *mut u8, n: usize) -> isize;
    fn write(fd: i32, buf: *const u8, n: usize) -> isize;
    fn close(fd: i32) -> i32;
    fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
}

const EPOLLIN: u32 = 0x1;
const EPOLLOUT: u32 = 0x4;
const EPOLLHUP: u32 = 0x10;
const EPOLLET: u32 = 1 << 31;
const EPOLL_CTL_ADD: i32 = 1;
const EPOLL_CTL_DEL: i32 = 2;
const O_NONBLOCK: i32 = 0o4000;

fn wait(ep: i32, timeout: i32) -> Vec<(u32, u64)> {
    let mut evs = [EpollEvent { events: 0, data: 0 }; 8];
    let n = unsafe { epoll_wait(ep, evs.as_mut_ptr(), 8, timeout) };
    assert!(n >= 0);
    evs[..n as usize].iter().map(|e| (e.events, e.data)).collect()
}

fn main() {
    unsafe {
        let ep = epoll_create1(0);
        let ev = eventfd(0, O_NONBLOCK);
        let mut pfd = [0i32; 2];
        assert_eq!(pipe2(pfd.as_mut_ptr(), O_NONBLOCK), 0);
        // The eventfd edge-triggered, the pipe's read end level-triggered.
        let mut e = EpollEvent { events: EPOLLIN | EPOLLOUT | EPOLLET, data: 7 };
        assert_eq!(epoll_ctl(ep, EPOLL_CTL_ADD, ev, &mut e), 0);
        let mut e = EpollEvent { events: EPOLLIN, data: 9 };
        assert_eq!(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &mut e), 0);
        println!("first wait: {:?}", wait(ep, 0));
        println!("edge reported once: {:?}", wait(ep, 0));
        assert_eq!(write(ev, 1u64.to_ne_bytes().as_ptr(), 8), 8);
        println!("after eventfd write: {:?}", wait(ep, 0));
        assert_eq!(write(pfd[1], b"ab".as_ptr(), 2), 2);
        println!("pipe readable (level): {:?}", wait(ep, 0));
        println!("still readable: {:?}", wait(ep, 0));
        let mut buf = [0u8; 8];
        assert_eq!(read(pfd[0], buf.as_mut_ptr(), 8), 2);
        println!("after draining: {:?}", wait(ep, 0));
        println!("time-out: {:?}", wait(ep, 50));

        // A thread blocked in epoll_wait is woken by another thread's write.
        let wfd = pfd[1];
        let writer = thread::spawn(move || {
            thread::sleep(std::time::Duration::from_millis(10));
            write(wfd, b"x".as_ptr(), 1);
        });
        println!("woken: {:?}", wait(ep, -1));
        writer.join().unwrap();
        assert_eq!(read(pfd[0], buf.as_mut_ptr(), 8), 1);

        // Closing the write end: readable (end-of-file) and hung up.
        close(pfd[1]);
        println!("writer closed: {:?}", wait(ep, 0).iter().map(|e| (e.0 & EPOLLHUP != 0, e.1)).collect::<Vec<_>>());
        assert_eq!(epoll_ctl(ep, EPOLL_CTL_DEL, pfd[0], std::ptr::null_mut()), 0);
        println!("after delete: {:?}", wait(ep, 0));

        // poll() on a fresh pipe.
        let mut q = [0i32; 2];
        assert_eq!(pipe2(q.as_mut_ptr(), 0), 0);
        let mut fds = [PollFd { fd: q[0], events: 1, revents: 0 }, PollFd { fd: q[1], events: 4, revents: 0 }];
        let n = poll(fds.as_mut_ptr(), 2, 100);
        println!("poll: {n} ready, read end {:#x}, write end {:#x}", fds[0].revents, fds[1].revents);
        write(q[1], b"z".as_ptr(), 1);
        let n = poll(fds.as_mut_ptr(), 1, -1);
        println!("poll after write: {n} ready, read end {:#x}", fds[0].revents);
        for fd in [ep, ev, pfd[0], q[0], q[1]] {
            close(fd);
        }
    }
}
