//! Rustdoc mode: cargo-vigil is cargo's `RUSTDOC` during `cargo vigil test`.
//!
//! For `rustdoc --test` (doctests) the real rustdoc runs with Vigil's sysroot and `cfg`s, and
//! with cargo-vigil as its test builder (`--test-builder`, the way cargo-miri does it): each
//! doctest is then "compiled" by the wrapper into an invocation record (a check build catches
//! `compile_fail` doctests), which rustdoc runs through cargo-vigil's runner (`--test-runtool`).
//! The doctests of proc-macro crates run natively. Any other rustdoc call goes to the real
//! rustdoc.

use std::env;
use std::env::consts::EXE_SUFFIX;
use std::process::Command;

use vigil_build::toolchain_rustc;

use crate::rustc_args as ra;
use crate::{ENV_DOCTEST_BUILDER, ENV_RUSTDOC, ENV_WRAPPER, exec};

pub fn main(args: Vec<String>) -> Result<i32, String> {
    let rustc = toolchain_rustc();
    let rustdoc = rustc.with_file_name(format!("rustdoc{EXE_SUFFIX}"));
    let mut cmd = Command::new(if rustdoc.is_file() { rustdoc.into_os_string() } else { "rustdoc".into() });
    if !ra::has_flag(&args, "--test") {
        cmd.args(&args).env_remove(ENV_RUSTDOC).env_remove(ENV_WRAPPER);
        return exec(&mut cmd);
    }
    // Doctests of proc-macro crates are host code: they run natively, as under `cargo test`
    // (Miri skips them), without cargo's runner.
    if ra::crate_types(&args).contains(&"proc-macro") {
        let krate = ra::value(&args, "--crate-name").unwrap_or("this crate");
        eprintln!("note: the doctests of proc-macro crate `{krate}` are host code: running them natively");
        let mut rest = args.iter();
        while let Some(a) = rest.next() {
            match a.as_str() {
                "--test-runtool" | "--test-runtool-arg" => {
                    rest.next();
                }
                _ if a.starts_with("--test-runtool=") || a.starts_with("--test-runtool-arg=") => {}
                _ => {
                    cmd.arg(a);
                }
            }
        }
        cmd.env_remove(ENV_RUSTDOC).env_remove(ENV_WRAPPER);
        return exec(&mut cmd);
    }
    let sysroot = vigil_build::ensure_sysroot()?;
    let me = env::current_exe().map_err(|e| format!("cannot locate cargo-vigil's own executable: {e}"))?;
    // rustdoc rejects a second `--sysroot`; the dependencies' `.rlib`s are empty stubs (rustdoc
    // reads their `.rmeta`s, as the wrapper's compilations do).
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--sysroot" => {
                rest.next();
            }
            _ if a.starts_with("--sysroot=") => {}
            "--extern" => {
                cmd.arg(a);
                if let Some(v) = rest.next() {
                    cmd.arg(crate::wrapper::patch_extern(v));
                }
            }
            _ => match a.strip_prefix("--extern=") {
                Some(v) => {
                    cmd.arg(format!("--extern={}", crate::wrapper::patch_extern(v)));
                }
                None => {
                    cmd.arg(a);
                }
            },
        }
    }
    cmd.arg("-Zunstable-options").arg("--sysroot").arg(&sysroot).args(["--cfg", "miri", "--cfg", "vigil"]);
    cmd.arg("--test-builder").arg(&me);
    // One program per doctest, as under Miri: a merged doctest binary would re-run itself in a
    // new process per test (which an interpreted program cannot), or else warn and run them
    // all in one process, unlike `cargo test`.
    cmd.arg("--merge-doctests=no");
    // Cargo passes the target runner as the runtool when it has one; make sure rustdoc runs the
    // records through cargo-vigil's runner either way.
    if !ra::has_flag(&args, "--test-runtool") && ra::value(&args, "--test-runtool").is_none() {
        cmd.arg("--test-runtool").arg(&me).arg("--test-runtool-arg").arg("runner");
    }
    cmd.env(ENV_DOCTEST_BUILDER, "1").env_remove(ENV_RUSTDOC).env_remove(ENV_WRAPPER);
    exec(&mut cmd)
}
