//@ vigil-flags: -Zmiri-disable-isolation
// An event loop in the style of mio: non-blocking loopback TCP sockets registered edge-triggered in one
// epoll instance, each drained until `WouldBlock` after its event; the loop blocks in `epoll_wait` until the
// host reports readiness.
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;

#[repr(C, packed)]
#[derive(Clone, Copy)]
struct EpollEvent {
    events: u32,
    data: u64,
}

unsafe extern "C" {
    fn epoll_create1(flags: i32) -> i32;
    fn epoll_ctl(epfd: i32, op: i32, fd: i32, event: *mut EpollEvent) -> i32;
    fn epoll_wait(epfd: i32, events: *mut EpollEvent, max: i32, timeout: i32) -> i32;
}

const EPOLLIN: u32 = 0x1;
const EPOLLOUT: u32 = 0x4;
const EPOLLRDHUP: u32 = 0x2000;
const EPOLLET: u32 = 1 << 31;
const LISTENER: u64 = 1;
const CLIENT: u64 = 2;
const SERVER: u64 = 3;

fn register(ep: i32, fd: i32, token: u64) {
    let mut ev = EpollEvent { events: EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, data: token };
    assert_eq!(unsafe { epoll_ctl(ep, 1, fd, &mut ev) }, 0);
}

fn main() {
    let ep = unsafe { epoll_create1(0) };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    register(ep, listener.as_raw_fd(), LISTENER);
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    client.set_nonblocking(true).unwrap();
    register(ep, client.as_raw_fd(), CLIENT);
    let mut client = Some(client);
    let mut server: Option<TcpStream> = None;
    let message = b"edge-triggered readiness over loopback";
    let (mut sent, mut echoed, mut received) = (0, 0, Vec::new());
    let mut pending_echo = Vec::new();
    let mut events = [EpollEvent { events: 0, data: 0 }; 8];
    let mut waits = 0;
    while received.len() < message.len() {
        let n = unsafe { epoll_wait(ep, events.as_mut_ptr(), 8, -1) };
        assert!(n > 0);
        waits += 1;
        assert!(waits < 1000, "the loop does not progress");
        for ev in &events[..n as usize] {
            match ev.data {
                LISTENER => loop {
                    match listener.accept() {
                        Ok((s, _)) => {
                            s.set_nonblocking(true).unwrap();
                            register(ep, s.as_raw_fd(), SERVER);
                            server = Some(s);
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => panic!("{e}"),
                    }
                },
                SERVER => {
                    let s = server.as_mut().unwrap();
                    let mut buf = [0u8; 7];
                    loop {
                        match s.read(&mut buf) {
                            Ok(0) => break,
                            Ok(k) => pending_echo.extend_from_slice(&buf[..k]),
                            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                _ => {}
            }
            // Writes and reads of the client, and the server's echo, whenever there is something
            // to do (a write that would block waits for the next event).
            if let Some(c) = client.as_mut() {
                while sent < message.len() {
                    match c.write(&message[sent..(sent + 5).min(message.len())]) {
                        Ok(k) => sent += k,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => panic!("{e}"),
                    }
                }
                let mut buf = [0u8; 16];
                loop {
                    match c.read(&mut buf) {
                        Ok(k) => received.extend_from_slice(&buf[..k]),
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => panic!("{e}"),
                    }
                    if received.len() == message.len() {
                        break;
                    }
                }
            }
            if let Some(s) = server.as_mut() {
                while echoed < pending_echo.len() {
                    match s.write(&pending_echo[echoed..]) {
                        Ok(k) => echoed += k,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        }
    }
    client.take();
    println!("{}", String::from_utf8(received).unwrap());
}
