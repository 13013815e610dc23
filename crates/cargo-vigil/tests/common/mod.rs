//! What the integration tests share: copying a fixture, running `cargo vigil` with a clean
//! environment, showing a run's output.
#![allow(dead_code)] // each test crate uses part of it

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

pub const CARGO_VIGIL: &str = env!("CARGO_BIN_EXE_cargo-vigil");

/// Copies a fixture directory, leaving out the entries named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name), skip);
        } else {
            fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// `cargo vigil <args>` in `dir` with the real driver, whatever the outer environment set:
/// no inherited target directory, flags or thread count, no color, `RUST_BACKTRACE=0`.
pub fn cargo_vigil_command(dir: &Path, args: &[&str]) -> Command {
    let vigil = Path::new(CARGO_VIGIL).with_file_name(format!("vigil{}", std::env::consts::EXE_SUFFIX));
    assert!(vigil.is_file(), "`{}` is missing; run `cargo build -p vigil-driver` first", vigil.display());
    let mut cmd = Command::new(CARGO_VIGIL);
    cmd.arg("vigil")
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("MIRIFLAGS")
        .env_remove("VIGILFLAGS")
        .env_remove("RUST_TEST_THREADS")
        .env("VIGIL", &vigil)
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_TERM_COLOR", "never");
    cmd
}

pub fn show(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
