//! Runner mode: cargo runs `cargo-vigil runner <binary> <args...>` where `<binary>` is the
//! invocation record the wrapper wrote; this hands it to `vigil run-record`.

use std::env;
use std::env::consts::EXE_SUFFIX;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use vigil_build::InvocationRecord;

use crate::{ENV_RUSTDOC, ENV_WRAPPER, exec, native_marker};

/// Where the program should run: the runner's own working directory (cargo runs tests in the
/// package root, binaries where the user is). The record's `cwd` is the directory rustc ran
/// in, which is what relative paths in its arguments need; the driver uses this variable for
/// the interpreted program.
pub const ENV_RUN_CWD: &str = "VIGIL_RUN_CWD";

pub fn main(mut args: Vec<String>) -> Result<i32, String> {
    if args.is_empty() {
        return Err("`cargo-vigil runner` needs the path of an invocation record; it is meant \
                    to be called by cargo during `cargo vigil run/test`"
            .to_owned());
    }
    // Absolute, so that the driver may change directories before reading it.
    let record = PathBuf::from(args.remove(0));
    let record = std::path::absolute(&record).unwrap_or(record);
    if native_marker(&record).is_file() {
        // The unit tests of a proc-macro crate: host code, as `cargo test` runs it. (Miri
        // skips these.)
        let name = record.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("note: `{name}` holds the unit tests of a proc-macro crate, which are host code: running them natively");
        let mut cmd = Command::new(&record);
        cmd.args(&args).env_remove(ENV_WRAPPER).env_remove(ENV_RUSTDOC).env_remove(crate::ENV_DOCTEST_BUILDER);
        return exec(&mut cmd);
    }
    fs::metadata(&record).map_err(|e| {
        format!(
            "cannot read `{}`: {e} (cargo-vigil runner is only meant to be called by cargo during `cargo vigil run/test`)",
            record.display()
        )
    })?;
    // Validate here, so that a stale file from a plain `cargo build` gets a clear message.
    InvocationRecord::read(&record)?;

    let vigil = vigil_driver()?;
    let mut cmd = Command::new(&vigil);
    // The driver reads its flags from MIRIFLAGS and VIGILFLAGS itself.
    cmd.arg("run-record").arg(&record);
    cmd.arg("--").args(&args);
    let cwd = env::current_dir().map_err(|e| format!("cannot get the current directory: {e}"))?;
    cmd.env(ENV_RUN_CWD, cwd);
    // cargo-vigil's markers stay out of the interpreted program's environment.
    cmd.env_remove(ENV_WRAPPER).env_remove(ENV_RUSTDOC).env_remove(crate::ENV_DOCTEST_BUILDER);
    exec(&mut cmd)
}

/// `$VIGIL`, else the `vigil` binary next to this executable (they are built and installed
/// together).
fn vigil_driver() -> Result<PathBuf, String> {
    if let Some(path) = env::var_os("VIGIL").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let me = env::current_exe().map_err(|e| format!("cannot locate cargo-vigil's own executable: {e}"))?;
    let vigil = me.with_file_name(format!("vigil{EXE_SUFFIX}"));
    if vigil.is_file() {
        Ok(vigil)
    } else {
        Err(format!(
            "cannot find the Vigil driver: `{}` does not exist (install `vigil` next to \
             cargo-vigil, or set VIGIL to its path)",
            vigil.display()
        ))
    }
}
