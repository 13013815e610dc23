//! Which rustc and cargo Vigil uses.
//!
//! Architecture Invariant: the `vigil` driver is linked against the `librustc_driver` of the
//! toolchain it was built with, and rustc only loads metadata written by the very same compiler.
//! So the sysroot, the user's dependencies and build scripts / proc macros (which the driver
//! loads when it re-runs rustc) must all be compiled by *that* toolchain's rustc, not by whatever
//! toolchain rustup considers active in the user's directory. `build.rs` records its sysroot.

use std::env;
use std::env::consts::EXE_SUFFIX;
use std::path::PathBuf;

/// The sysroot of the toolchain Vigil was built with (empty if unknown).
const BUILD_TOOLCHAIN_SYSROOT: &str = env!("VIGIL_BUILD_TOOLCHAIN_SYSROOT");

fn toolchain_bin(tool: &str) -> Option<PathBuf> {
    if BUILD_TOOLCHAIN_SYSROOT.is_empty() {
        return None;
    }
    let path = PathBuf::from(BUILD_TOOLCHAIN_SYSROOT).join("bin").join(format!("{tool}{EXE_SUFFIX}"));
    path.is_file().then_some(path)
}

/// The rustc that compiles every crate Vigil sees: the one of the toolchain Vigil was built
/// with, or `rustc` from `PATH` if that toolchain is gone (then versions may mismatch, and rustc
/// will say so when it loads metadata).
pub fn toolchain_rustc() -> PathBuf {
    toolchain_bin("rustc").unwrap_or_else(|| PathBuf::from("rustc"))
}

/// The cargo matching [`toolchain_rustc`]: the toolchain's own, else `$CARGO`, else `cargo`.
pub fn toolchain_cargo() -> PathBuf {
    toolchain_bin("cargo").or_else(|| env::var_os("CARGO").map(PathBuf::from)).unwrap_or_else(|| PathBuf::from("cargo"))
}
