//! `cargo vigil test` on a crate whose tests run on tokio's runtimes (tests/fixtures/tokio-app):
//! channels and spawned tasks, timers, `tokio::fs`, the multi-thread runtime, in-memory I/O, loopback TCP.
//! tokio comes from crates.io: when it cannot be fetched (no network), the test says so and is
//! skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{copy_dir, show};

fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map(PathBuf::from).unwrap_or_else(|| "cargo".into())
}

fn cargo_vigil(dir: &Path, args: &[&str], miriflags: &str) -> Output {
    common::cargo_vigil_command(dir, args).env("MIRIFLAGS", miriflags).output().unwrap()
}

#[test]
fn tokio_tests_pass() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tokio-app"), dir.path(), &["target"]);
    let fetch = Command::new(cargo()).args(["fetch", "--locked"]).current_dir(dir.path()).output().unwrap();
    if !fetch.status.success() {
        eprintln!(
            "SKIPPED tokio_tests_pass: tokio could not be fetched from crates.io ({})",
            String::from_utf8_lossy(&fetch.stderr).lines().last().unwrap_or("no output")
        );
        return;
    }
    // With isolation off (for `tokio::fs` and the loopback TCP echo), every test passes.
    let out = cargo_vigil(dir.path(), &["test", "--test", "runtime"], "-Zmiri-disable-isolation");
    assert!(out.status.success(), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let tests =
        ["channel_and_spawned_tasks", "timer_on_the_virtual_clock", "fs_read", "multi_thread_runtime", "duplex_io", "tcp_echo_loopback"];
    for t in tests {
        assert!(text.contains(&format!("test {t} ... ok")), "{t}: {}", show(&out));
    }
    assert!(text.contains("test result: ok. 6 passed; 0 failed"), "{}", show(&out));
    // Under isolation (the default) the runtime, its timers and channels still work; reading a
    // file is refused (and so are sockets).
    let out = cargo_vigil(dir.path(), &["test", "--test", "runtime", "--", "--skip", "fs_read", "--skip", "tcp_echo"], "");
    assert!(out.status.success(), "{}", show(&out));
    let out = cargo_vigil(dir.path(), &["test", "--test", "runtime", "--", "fs_read"], "");
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`open` not available when isolation is enabled"), "{}", show(&out));
}
