//! Rustdoc mode: cargo-vigil is cargo's `RUSTDOC` during `cargo vigil test`.
//!
//! Doctests are not interpreted yet: rustdoc would compile them natively against the stub
//! `.rlib`s of the wrapper, which cannot link. So `rustdoc --test` is answered with a note and
//! success; any other rustdoc call goes to the real rustdoc.

use std::env::consts::EXE_SUFFIX;
use std::process::Command;

use vigil_build::toolchain_rustc;

use crate::rustc_args as ra;
use crate::{ENV_RUSTDOC, ENV_WRAPPER, exec};

pub fn main(args: Vec<String>) -> Result<i32, String> {
    if ra::has_flag(&args, "--test") {
        let krate = ra::value(&args, "--crate-name").unwrap_or("this crate");
        eprintln!("note: Vigil does not run doctests yet; skipping the doctests of `{krate}`");
        return Ok(0);
    }
    let rustc = toolchain_rustc();
    let rustdoc = rustc.with_file_name(format!("rustdoc{EXE_SUFFIX}"));
    let mut cmd = Command::new(if rustdoc.is_file() { rustdoc.into_os_string() } else { "rustdoc".into() });
    cmd.args(&args).env_remove(ENV_RUSTDOC).env_remove(ENV_WRAPPER);
    exec(&mut cmd)
}
