//! `-Zvigil-many-seeds`: the program runs once per seed, in parallel, in processes forked
//! after analysis (so they share the compiled crate), and the failing seeds are reported.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;

unsafe extern "C" {
    fn fork() -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    fn _exit(code: i32) -> !;
    fn kill(pid: i32, sig: i32) -> i32;
}

const SIGKILL: i32 = 9;

/// Runs `once(seed)` for every seed in `seeds` on as many processes as there are cores.
/// Returns 0 if every run exited with 0, else the largest exit code; stops at the first
/// failing seed unless `keep_going`.
pub fn run(seeds: Range<u64>, keep_going: bool, once: impl Fn(u64) -> u8) -> u8 {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = seeds.end - seeds.start;
    let mut next = seeds.start;
    let mut running: HashMap<i32, u64> = HashMap::new();
    let (mut failed, mut worst) = (0u64, 0u8);
    loop {
        while running.len() < jobs && next < seeds.end {
            let seed = next;
            next += 1;
            eprintln!("Trying seed: {seed}");
            let _ = std::io::stdout().flush();
            // SAFETY: the child only interprets the program and exits; it touches no lock
            // another thread of this process could hold (the compiler is done).
            let pid = unsafe { fork() };
            if pid == 0 {
                let code = once(seed);
                let _ = std::io::stdout().flush();
                let _ = std::io::stderr().flush();
                // SAFETY: ends the child without running the parent's exit handlers.
                unsafe { _exit(code as i32) };
            }
            if pid < 0 {
                eprintln!("error: cannot start a process for seed {seed}");
                return 2;
            }
            running.insert(pid, seed);
        }
        if running.is_empty() {
            break;
        }
        let mut status = 0;
        // SAFETY: waits for any child; `status` is a valid out-pointer.
        let pid = unsafe { waitpid(-1, &mut status, 0) };
        let Some(seed) = running.remove(&pid) else { continue };
        let code = exit_code(status);
        if code != 0 {
            eprintln!("FAILING SEED: {seed}");
            failed += 1;
            worst = worst.max(code);
            if !keep_going {
                for &pid in running.keys() {
                    // SAFETY: these are our own children.
                    unsafe {
                        kill(pid, SIGKILL);
                        waitpid(pid, &mut status, 0);
                    }
                }
                return code;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed}/{total} SEEDS FAILED");
    }
    worst
}

/// The exit code a shell would report for a `waitpid` status (128 + signal if killed).
fn exit_code(status: i32) -> u8 {
    if status & 0x7f == 0 { ((status >> 8) & 0xff) as u8 } else { (128 + (status & 0x7f)) as u8 }
}
