//! Shared by cargo-vigil and the vigil driver: sysroot building, rustc flags, invocation records.
//!
//! API Boundary: `cargo-vigil` and `vigil-driver` code against the items re-exported here;
//! nothing in this crate depends on rustc internals (no `rustc_private`).

mod facts;
mod record;
mod sysroot;
mod toolchain;

pub use record::InvocationRecord;
pub use sysroot::{ensure_sysroot, find_sysroot, run_sysroot_wrapper_if_requested};
pub use toolchain::{toolchain_cargo, toolchain_rustc};

/// Set by `cargo vigil` for the driver: the crate names of the workspace's packages, comma
/// separated (what cargo-miri passes as `MIRI_LOCAL_CRATES`). Reports point into these crates.
pub const ENV_LOCAL_CRATES: &str = "VIGIL_LOCAL_CRATES";

/// rustc flags every crate interpreted by Vigil is compiled with (the sysroot too).
///
/// Each one was checked against the pinned nightly (nightly-2026-05-20, rustc 1.97.0): all are
/// accepted, and the three pass names in `-Zmir-enable-passes` are known MIR passes (an unknown
/// name would only produce a warning, so this is worth re-checking on toolchain bumps; the unit
/// test `flags_are_accepted_by_the_toolchain` does it).
///
/// - `--cfg=miri`: code that adapts itself to Miri (smaller test sizes, skipped FFI) adapts
///   itself to Vigil too. `--cfg=vigil` lets code target Vigil alone.
/// - `-Zalways-encode-mir`: dependencies carry the MIR of every function, not only of generic
///   and inline ones, so that Vigil can interpret all of them.
/// - `-Zmir-opt-level=0`, `-Zmir-preserve-ub`: MIR optimizations must not remove UB that Vigil
///   is meant to detect.
/// - `-Zmir-enable-passes=-CheckAlignment,-CheckNull,-CheckEnums`: those passes insert panicking
///   runtime checks into MIR; Vigil reports the same problems as UB itself, with better reports.
/// - `-Zextra-const-ub-checks`: const evaluation checks for UB as thoroughly as Vigil does.
/// - `-Zdeduplicate-diagnostics=no`: every report is shown, even if it repeats.
pub const VIGIL_RUSTC_FLAGS: &[&str] = &[
    "--cfg=miri",
    "--cfg=vigil",
    "-Zalways-encode-mir",
    "-Zmir-opt-level=0",
    "-Zmir-preserve-ub",
    "-Zmir-enable-passes=-CheckAlignment,-CheckNull,-CheckEnums",
    "-Zextra-const-ub-checks",
    "-Zdeduplicate-diagnostics=no",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Every flag in [`VIGIL_RUSTC_FLAGS`] is accepted by the toolchain's rustc, without the
    /// "unknown MIR pass" warning.
    #[test]
    fn flags_are_accepted_by_the_toolchain() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("x.rs");
        std::fs::write(&src, "fn main() { let v = vec![1u8]; assert_eq!(v[0], 1); }\n").unwrap();
        let out = Command::new(toolchain_rustc())
            .args(VIGIL_RUSTC_FLAGS)
            .arg("--emit=metadata")
            .arg("--out-dir")
            .arg(dir.path())
            .arg(&src)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "rustc rejected Vigil's flags:\n{stderr}");
        assert!(!stderr.contains("warning"), "rustc warned about Vigil's flags:\n{stderr}");
    }
}
