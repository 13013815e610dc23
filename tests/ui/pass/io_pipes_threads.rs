// Emulated I/O objects under isolation: a pipe between two threads (the reader blocks until data comes,
// then sees end-of-file when the writer closes), a socket pair used in both directions, an eventfd
// counter, non-blocking reads that fail with EAGAIN, and writing to a pipe whose reader is gone (EPIPE).
// (Miri stops at `read_to_end` here: the file's metadata, which std asks for, is refused under isolation;
// Vigil answers `fstat` for its emulated objects, which hide nothing of the host.)
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::thread;

unsafe extern "C" {
    fn pipe(fds: *mut i32) -> i32;
    fn pipe2(fds: *mut i32, flags: i32) -> i32;
    fn socketpair(domain: i32, ty: i32, protocol: i32, fds: *mut i32) -> i32;
    fn eventfd(init: u32, flags: i32) -> i32;
    fn read(fd: i32, buf: *mut u8, n: usize) -> isize;
    fn write(fd: i32, buf: *const u8, n: usize) -> isize;
    fn close(fd: i32) -> i32;
    fn __errno_location() -> *mut i32;
}

const O_NONBLOCK: i32 = 0o4000;
const EAGAIN: i32 = 11;

fn errno() -> i32 {
    unsafe { *__errno_location() }
}

fn main() {
    // A pipe between threads.
    let mut fds = [0i32; 2];
    assert_eq!(unsafe { pipe(fds.as_mut_ptr()) }, 0);
    let (mut rx, mut tx) = unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) };
    let writer = thread::spawn(move || {
        for i in 0..5 {
            writeln!(tx, "message {i}").unwrap();
        }
        let big = vec![7u8; 200_000];
        tx.write_all(&big).unwrap();
        // Dropping `tx` closes the write end: the reader sees end-of-file.
    });
    let mut all = Vec::new();
    rx.read_to_end(&mut all).unwrap();
    writer.join().unwrap();
    let text_len = all.iter().position(|&b| b == 7).unwrap();
    print!("{}", String::from_utf8_lossy(&all[..text_len]));
    println!("then {} bytes of 7s", all.len() - text_len);

    // A socket pair: both ends read and write.
    let mut sv = [0i32; 2];
    assert_eq!(unsafe { socketpair(1, 1, 0, sv.as_mut_ptr()) }, 0);
    let (mut a, mut b) = unsafe { (File::from_raw_fd(sv[0]), File::from_raw_fd(sv[1])) };
    let echo = thread::spawn(move || {
        let mut buf = [0u8; 5];
        b.read_exact(&mut buf).unwrap();
        buf.reverse();
        b.write_all(&buf).unwrap();
    });
    a.write_all(b"hello").unwrap();
    let mut back = [0u8; 5];
    a.read_exact(&mut back).unwrap();
    echo.join().unwrap();
    println!("echoed reversed: {}", std::str::from_utf8(&back).unwrap());

    // An eventfd counter: writes add, a read takes the sum and resets it.
    let ev = unsafe { eventfd(3, O_NONBLOCK) };
    assert!(ev >= 0);
    let one = 4u64.to_ne_bytes();
    assert_eq!(unsafe { write(ev, one.as_ptr(), 8) }, 8);
    let mut got = [0u8; 8];
    assert_eq!(unsafe { read(ev, got.as_mut_ptr(), 8) }, 8);
    println!("eventfd counter: {}", u64::from_ne_bytes(got));
    let r = unsafe { read(ev, got.as_mut_ptr(), 8) };
    println!("empty non-blocking eventfd: {r}, EAGAIN {}", errno() == EAGAIN);
    unsafe { close(ev) };

    // A non-blocking pipe: empty reads fail with EAGAIN; a closed reader makes writes fail.
    let mut nb = [0i32; 2];
    assert_eq!(unsafe { pipe2(nb.as_mut_ptr(), O_NONBLOCK) }, 0);
    let mut buf = [0u8; 4];
    let r = unsafe { read(nb[0], buf.as_mut_ptr(), 4) };
    println!("empty non-blocking pipe: {r}, EAGAIN {}", errno() == EAGAIN);
    unsafe { close(nb[0]) };
    let mut w = unsafe { File::from_raw_fd(nb[1]) };
    println!("write without reader: {:?}", w.write(b"x").map_err(|e| e.kind()));
}
