//! The `cargo vigil` subcommand.
//!
//! One binary, five roles, told apart by its arguments and by environment markers that only
//! cargo-vigil itself sets:
//!
//! | invoked as                                            | role                    | module      |
//! |-------------------------------------------------------|-------------------------|-------------|
//! | `cargo vigil setup\|run\|test ...`                    | the user's subcommand   | `cargo_cmd` |
//! | `cargo-vigil <rustc> <args>` + `VIGIL_CARGO_WRAPPER`  | cargo's `RUSTC_WRAPPER` | `wrapper`   |
//! | `cargo-vigil runner <record> <args>`                  | cargo's target runner   | `runner`    |
//! | `cargo-vigil <rustdoc args>` + `VIGIL_CARGO_RUSTDOC`  | cargo's `RUSTDOC`       | `rustdoc`   |
//! | `cargo-vigil <rustc args>` + `VIGIL_CARGO_DOCTEST_BUILDER` | rustdoc's test builder | `wrapper` |

mod cargo_cmd;
mod runner;
mod rustc_args;
mod rustdoc;
mod wrapper;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// Set (to the rustc path cargo will be given) in cargo's environment: marks wrapper calls.
pub const ENV_WRAPPER: &str = "VIGIL_CARGO_WRAPPER";
/// Set in cargo's environment when cargo-vigil is also cargo's `RUSTDOC`.
pub const ENV_RUSTDOC: &str = "VIGIL_CARGO_RUSTDOC";
/// Set on the real rustdoc cargo-vigil runs for doctests: marks rustdoc's calls of its test
/// builder (cargo-vigil, standing in for rustc).
pub const ENV_DOCTEST_BUILDER: &str = "VIGIL_CARGO_DOCTEST_BUILDER";
/// When set, cargo-vigil logs what it runs (see [`log`]).
pub const ENV_LOG: &str = "VIGIL_CARGO_LOG";
/// Suffix of the file written next to a test harness compiled natively (the unit tests of a
/// proc-macro crate, which are host code): the runner then runs the harness as it is.
pub const NATIVE_MARKER_SUFFIX: &str = ".vigil-native";

/// The marker file for a natively compiled harness at `binary`.
pub fn native_marker(binary: &std::path::Path) -> std::path::PathBuf {
    let mut name = binary.as_os_str().to_owned();
    name.push(NATIVE_MARKER_SUFFIX);
    std::path::PathBuf::from(name)
}

fn main() {
    vigil_build::run_sysroot_wrapper_if_requested();
    let code = match dispatch() {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            1
        }
    };
    std::process::exit(code);
}

fn dispatch() -> Result<i32, String> {
    let mut args = Vec::new();
    for (i, arg) in env::args_os().enumerate().skip(1) {
        args.push(arg.into_string().map_err(|a| format!("argument {i} is not valid UTF-8: {a:?}"))?);
    }
    let first = args.first().map(String::as_str);

    if first == Some("runner") {
        args.remove(0);
        return runner::main(args);
    }
    // rustdoc compiling a doctest with cargo-vigil as its test builder.
    if env::var_os(ENV_DOCTEST_BUILDER).is_some() {
        return wrapper::doctest_builder(args);
    }
    // Cargo calls `RUSTC_WRAPPER <rustc> <args>` with the `RUSTC` cargo-vigil gave it.
    if let Some(wrapped_rustc) = env::var_os(ENV_WRAPPER)
        && let Some(first) = first
        && (Path::new(first) == Path::new(&wrapped_rustc) || is_rustc_path(first))
    {
        let rustc = PathBuf::from(args.remove(0));
        return wrapper::main(rustc, args);
    }
    if env::var_os(ENV_RUSTDOC).is_some() && first != Some("vigil") {
        return rustdoc::main(args);
    }
    // `cargo vigil ...` runs `cargo-vigil vigil ...`; also accept `cargo-vigil ...`.
    if first == Some("vigil") {
        args.remove(0);
    }
    cargo_cmd::main(args)
}

/// Whether `arg` names a rustc executable (`.../rustc`, `rustc.exe`).
fn is_rustc_path(arg: &str) -> bool {
    Path::new(arg).file_stem().is_some_and(|s| s == "rustc")
}

/// Runs `cmd` in place of this process and returns its exit code (on Unix, replaces the
/// process, so signals and exit status reach cargo unchanged).
pub fn exec(cmd: &mut Command) -> Result<i32, String> {
    log(|| format!("[cargo-vigil] running {cmd:?}"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = cmd.exec();
        Err(format!("cannot run `{}`: {err}", cmd.get_program().to_string_lossy()))
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status().map_err(|e| format!("cannot run `{}`: {e}", cmd.get_program().to_string_lossy()))?;
        Ok(exit_code(status))
    }
}

/// The exit code to report for a finished child (128 + signal number if it was killed, as
/// shells do).
pub fn exit_code(status: ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return 128 + sig;
        }
    }
    1
}

/// Logs a line when `VIGIL_CARGO_LOG` is set: to stderr if it is `1` (or empty), else
/// appended to the file it names. (Cargo stores what the wrapper prints on stderr and replays
/// it for fresh crates, so stderr logs can show up again in later runs.)
pub fn log(msg: impl FnOnce() -> String) {
    let Some(dest) = env::var_os(ENV_LOG) else {
        return;
    };
    let line = msg();
    if dest.is_empty() || dest == "1" {
        eprintln!("{line}");
        return;
    }
    use std::io::Write;
    let written = std::fs::OpenOptions::new().create(true).append(true).open(&dest).and_then(|mut f| writeln!(f, "{line}"));
    if let Err(e) = written {
        eprintln!("warning: cannot write to VIGIL_CARGO_LOG file `{}`: {e}", dest.to_string_lossy());
    }
}
