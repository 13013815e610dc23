//! Worker processes forked after analysis: they share the compiled crate (the type context and
//! everything rustc computed so far) and each interprets the program once. Used by
//! `-Zvigil-many-seeds` and by parallel test runs.

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;

unsafe extern "C" {
    fn fork() -> i32;
    fn pipe(fds: *mut i32) -> i32;
    fn dup2(old: i32, new: i32) -> i32;
    fn close(fd: i32) -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    fn _exit(code: i32) -> !;
    fn kill(pid: i32, sig: i32) -> i32;
}

const SIGKILL: i32 = 9;

/// A forked worker.
pub struct Child {
    pub pid: i32,
    /// Its stdout and stderr, when they were redirected to pipes.
    pub stdout: Option<File>,
    pub stderr: Option<File>,
}

/// Forks a process that runs `work` and exits with the code it returns; with `pipe_output`,
/// its stdout and stderr go to pipes the parent reads.
///
/// The child only interprets the program and exits; it must not touch locks another thread of
/// this process could hold (the compiler is done by then, and the parent starts its own
/// threads only after forking).
pub fn spawn(pipe_output: bool, work: impl FnOnce() -> u8) -> Result<Child, String> {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let (mut out, mut err) = ([0i32; 2], [0i32; 2]);
    if pipe_output {
        // SAFETY: `out` is a valid out-array of two descriptors.
        if unsafe { pipe(out.as_mut_ptr()) } != 0 {
            return Err("cannot create a pipe for a worker process".into());
        }
        // SAFETY: as above; on failure the first pair is closed again.
        if unsafe { pipe(err.as_mut_ptr()) } != 0 {
            unsafe {
                close(out[0]);
                close(out[1]);
            }
            return Err("cannot create a pipe for a worker process".into());
        }
    }
    // SAFETY: see the function's documentation.
    let pid = unsafe { fork() };
    if pid < 0 {
        return Err("cannot fork a worker process".into());
    }
    if pid == 0 {
        if pipe_output {
            // SAFETY: plain descriptor operations on the descriptors made above.
            unsafe {
                for (pair, target) in [(out, 1), (err, 2)] {
                    close(pair[0]);
                    dup2(pair[1], target);
                    close(pair[1]);
                }
            }
        }
        let code = work();
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        // SAFETY: ends the child without running the parent's exit handlers.
        unsafe { _exit(code as i32) };
    }
    if !pipe_output {
        return Ok(Child { pid, stdout: None, stderr: None });
    }
    // SAFETY: the write ends belong to the child; the read ends are ours alone.
    let [stdout, stderr] = [out, err].map(|pair| unsafe {
        close(pair[1]);
        Some(File::from_raw_fd(pair[0]))
    });
    Ok(Child { pid, stdout, stderr })
}

/// Waits for any child; returns its pid and exit code (128 + signal if it was killed).
pub fn wait_any() -> Option<(i32, u8)> {
    let mut status = 0;
    // SAFETY: `status` is a valid out-pointer.
    let pid = unsafe { waitpid(-1, &mut status, 0) };
    (pid > 0).then(|| (pid, exit_code(status)))
}

/// Waits for one child.
pub fn wait(pid: i32) -> u8 {
    let mut status = 0;
    // SAFETY: `status` is a valid out-pointer.
    unsafe { waitpid(pid, &mut status, 0) };
    exit_code(status)
}

/// Stops a child and reaps it.
pub fn kill_and_reap(pid: i32) {
    // SAFETY: `pid` is one of our own children.
    unsafe {
        kill(pid, SIGKILL);
    }
    wait(pid);
}

/// The exit code a shell would report for a `waitpid` status.
fn exit_code(status: i32) -> u8 {
    if status & 0x7f == 0 { ((status >> 8) & 0xff) as u8 } else { (128 + (status & 0x7f)) as u8 }
}
