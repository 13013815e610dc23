//! The emulated OS where its behaviour shows outside the program: time that costs no real time.
//! (Behaviour the program sees is covered by tests/ui/pass and tests/ui/fail.)

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs tests/os/sleep_long.rs sleeping `secs` seconds; returns the wall time of the run.
fn run_sleeping(secs: u64) -> Duration {
    let vigil = PathBuf::from(env!("CARGO_BIN_EXE_vigil"));
    let started = Instant::now();
    let out = Command::new(vigil)
        .args(["run", "--edition", "2021", "tests/os/sleep_long.rs", "--", &secs.to_string()])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("vigil runs");
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "vigil failed: {}\n{}", stdout, String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout, "slept: true\nnot much longer: true\nmonotonic across threads: true\n");
    took
}

#[test]
fn sleeping_ten_seconds_takes_no_real_time() {
    let quick = run_sleeping(0);
    let slow = run_sleeping(10);
    // The same program with 10 s of sleeps on every thread takes about as long as without (compiling and
    // interpreting it is what costs); a margin for a busy machine.
    assert!(slow < quick + Duration::from_secs(3), "with sleeps {slow:?}, without {quick:?}");
}
