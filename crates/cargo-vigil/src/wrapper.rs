//! Wrapper mode: cargo runs `cargo-vigil <rustc> <args...>` for every compiler invocation.
//!
//! - Host crates (build scripts, proc macros, and whatever they depend on: cargo never passes
//!   `--target` for them because cargo-vigil always gives cargo an explicit `--target`) are
//!   compiled by the real rustc, unchanged: they run natively, at build time.
//! - Target library crates are compiled *metadata only*, with Vigil's sysroot and flags; the
//!   `.rmeta` (with the MIR of every function, thanks to `-Zalways-encode-mir`) is all Vigil
//!   needs. Cargo still expects the `.rlib` it asked for, so an empty stub is created in its
//!   place, and `--extern` paths to `.rlib`s are rewritten to the `.rmeta` next to them.
//! - Target binaries and test harnesses are checked the same way (so compile errors are
//!   reported by cargo as usual), then an [`InvocationRecord`] is written where cargo expects
//!   the executable; cargo later hands that file to the runner.

use std::env;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;

use vigil_build::{InvocationRecord, VIGIL_RUSTC_FLAGS};

use crate::rustc_args::{self as ra, Item};
use crate::{ENV_DOCTEST_BUILDER, ENV_LOG, ENV_RUSTDOC, ENV_WRAPPER, exec, log, native_marker};

/// Environment variables not copied into invocation records: jobserver handles (only valid
/// inside this cargo run; rustc would warn about them later) and cargo-vigil's own plumbing.
const ENV_NOT_RECORDED: &[&str] = &[
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    ENV_WRAPPER,
    ENV_RUSTDOC,
    ENV_DOCTEST_BUILDER,
    ENV_LOG,
];

/// What kind of compilation cargo asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `-vV`, `--print ...`: information queries, no crate is compiled.
    Query,
    /// A crate for the host: build script, proc macro, or one of their dependencies.
    Host,
    /// The unit tests of a proc-macro crate: a host test harness, compiled and run natively.
    HostTest,
    /// A library crate Vigil will interpret.
    TargetLib,
    /// A binary or test harness Vigil will interpret.
    TargetRunnable,
}

fn classify(args: &[String]) -> Kind {
    let is_query =
        ra::value(args, "--print").is_some() || ra::has_flag(args, "-vV") || ra::has_flag(args, "-V") || ra::has_flag(args, "--version");
    if is_query {
        return Kind::Query;
    }
    let crate_types = ra::crate_types(args);
    let is_build_script = ra::value(args, "--crate-name").is_some_and(|n| n.starts_with("build_script_"));
    let is_proc_macro = crate_types.contains(&"proc-macro");
    let is_test = ra::has_flag(args, "--test");
    if ra::value(args, "--target").is_none() || is_build_script || is_proc_macro {
        // A host test harness that is not a build script can only be the unit tests of a
        // proc-macro crate (proc-macro crates and their tests are always built for the host).
        return if is_test && !is_build_script { Kind::HostTest } else { Kind::Host };
    }
    // No `--crate-type` means `bin` (or whatever `#![crate_type]` says; cargo always passes one
    // except for test harnesses).
    let is_bin = crate_types.is_empty() || crate_types.contains(&"bin");
    if is_test || is_bin { Kind::TargetRunnable } else { Kind::TargetLib }
}

/// Runs wrapper mode. `rustc` is the compiler cargo wanted to run.
pub fn main(rustc: PathBuf, args: Vec<String>) -> Result<i32, String> {
    let args = ra::expand_argfiles(args)?;
    let kind = classify(&args);
    log(|| format!("[cargo-vigil rustc] {kind:?}: {} {}", rustc.display(), args.join(" ")));
    match kind {
        Kind::Host => exec(Command::new(&rustc).args(&args)),
        Kind::Query => {
            let mut cmd = Command::new(&rustc);
            if ra::value(&args, "--target").is_some() {
                // Target queries (`--print=cfg` and friends) see Vigil's cfgs and sysroot, so
                // that `[target.'cfg(miri)'.dependencies]` works as it does under Miri.
                cmd.args(adjusted_for_target(&args, &sysroot()?, Emit::AsRequested));
            } else {
                cmd.args(&args);
            }
            exec(&mut cmd)
        }
        Kind::HostTest => {
            // Host code (the proc macro as the compiler runs it): built as `cargo test` builds
            // it, and marked so that the runner runs it natively.
            let status = run(Command::new(&rustc).args(&args))?;
            if status == 0 {
                for out in output_files(&rustc, &args)? {
                    let marker = native_marker(&out);
                    fs::write(&marker, "the unit tests of a proc-macro crate: host code, run natively\n")
                        .map_err(|e| format!("cannot write `{}`: {e}", marker.display()))?;
                }
            }
            Ok(status)
        }
        Kind::TargetLib => {
            let sysroot = sysroot()?;
            let asked_to_link = emits_link(&args);
            let adjusted = adjusted_for_target(&args, &sysroot, Emit::MetadataInsteadOfLink);
            let status = run(Command::new(&rustc).args(&adjusted))?;
            if status == 0 && asked_to_link {
                // Cargo checks that the files it asked for exist (and uses their mtimes for
                // freshness), but nobody reads them: dependents get the `.rmeta` (see
                // `patch_extern`), and Vigil never links anything.
                for stub in output_files(&rustc, &args)? {
                    File::create(&stub).map_err(|e| format!("cannot create stub `{}`: {e}", stub.display()))?;
                }
            }
            Ok(status)
        }
        Kind::TargetRunnable => {
            let sysroot = sysroot()?;
            let adjusted = adjusted_for_target(&args, &sysroot, Emit::MetadataInsteadOfLink);
            // A check build: reports compile errors the usual way, and writes the dep-info
            // cargo uses to decide when to rebuild.
            let status = run(Command::new(&rustc).args(&adjusted))?;
            if status != 0 {
                return Ok(status);
            }
            let record = InvocationRecord {
                args: record_args(&adjusted),
                env: recorded_env(),
                cwd: env::current_dir().map_err(|e| format!("cannot get the current directory: {e}"))?,
                source: None,
            };
            for out in output_files(&rustc, &args)? {
                log(|| format!("[cargo-vigil rustc] writing invocation record `{}`", out.display()));
                record.write(&out)?;
            }
            Ok(0)
        }
    }
}

/// rustdoc's test builder: compiles one doctest (its source comes on stdin, `-`) the way a
/// target binary is compiled: a check build (so that `compile_fail` doctests fail to build),
/// then an invocation record, with the source, where rustdoc expects the executable.
pub fn doctest_builder(args: Vec<String>) -> Result<i32, String> {
    let args = ra::expand_argfiles(args)?;
    log(|| format!("[cargo-vigil doctest] {}", args.join(" ")));
    let rustc = vigil_build::toolchain_rustc();
    let source = if args.iter().any(|a| a == "-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| format!("cannot read the doctest from stdin: {e}"))?;
        Some(text)
    } else {
        None
    };
    let sysroot = sysroot()?;
    let adjusted = adjusted_for_target(&args, &sysroot, Emit::MetadataInsteadOfLink);
    let mut check = Command::new(&rustc);
    check.args(&adjusted).stdin(std::process::Stdio::piped());
    let mut child = check.spawn().map_err(|e| format!("cannot run `{}`: {e}", rustc.display()))?;
    if let (Some(text), Some(mut stdin)) = (&source, child.stdin.take()) {
        std::io::Write::write_all(&mut stdin, text.as_bytes()).map_err(|e| format!("cannot pass the doctest to rustc: {e}"))?;
    }
    let status = crate::exit_code(child.wait().map_err(|e| format!("cannot wait for rustc: {e}"))?);
    if status != 0 || !emits_link(&args) {
        // A compile error, or a `no_run` doctest (only checked).
        return Ok(status);
    }
    if classify(&args) == Kind::TargetLib {
        // A library (merged doctests' bundle): its metadata is all that is needed.
        for stub in output_files(&rustc, &args)? {
            File::create(&stub).map_err(|e| format!("cannot create stub `{}`: {e}", stub.display()))?;
        }
        return Ok(0);
    }
    let record = InvocationRecord {
        args: record_args(&adjusted),
        env: recorded_env(),
        cwd: env::current_dir().map_err(|e| format!("cannot get the current directory: {e}"))?,
        source,
    };
    for out in output_files(&rustc, &args)? {
        log(|| format!("[cargo-vigil doctest] writing invocation record `{}`", out.display()));
        record.write(&out)?;
    }
    Ok(0)
}

/// The sysroot for target crates: cargo mode passes it down in `VIGIL_SYSROOT`, so this is
/// normally just an environment lookup.
fn sysroot() -> Result<PathBuf, String> {
    vigil_build::ensure_sysroot()
}

fn run(cmd: &mut Command) -> Result<i32, String> {
    let status = cmd.status().map_err(|e| format!("cannot run `{}`: {e}", cmd.get_program().to_string_lossy()))?;
    Ok(crate::exit_code(status))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    AsRequested,
    /// Replace `link` by `metadata` in `--emit` (adding `--emit=metadata` if there was none).
    MetadataInsteadOfLink,
}

/// Whether rustc would produce linked output (`--emit` absent means `link`).
fn emits_link(args: &[String]) -> bool {
    let emits = ra::values(args, "--emit");
    emits.is_empty() || emits.iter().any(|e| e.split(',').any(|k| k.trim() == "link"))
}

/// The command line for a target crate: cargo's arguments, with `--emit` made metadata-only,
/// `--extern` pointed at `.rmeta`s, and Vigil's sysroot and flags added (last, so that they
/// win over conflicting `-Z` flags from RUSTFLAGS).
fn adjusted_for_target(args: &[String], sysroot: &Path, emit: Emit) -> Vec<String> {
    let mut saw_emit = false;
    let mut items: Vec<Item> = Vec::with_capacity(args.len() + 12);
    for item in ra::items(args) {
        match item {
            // Ours replaces it (rustc rejects a second `--sysroot`).
            Item::Opt { name, .. } if name == "--sysroot" => {}
            Item::Opt { name, value, joined } if name == "--emit" && emit == Emit::MetadataInsteadOfLink => {
                saw_emit = true;
                items.push(Item::Opt { name, value: metadata_instead_of_link(&value), joined });
            }
            Item::Opt { name, value, joined } if name == "--extern" => {
                items.push(Item::Opt { name, value: patch_extern(&value), joined });
            }
            other => items.push(other),
        }
    }
    let mut out = ra::unparse(&items);
    if emit == Emit::MetadataInsteadOfLink && !saw_emit {
        out.push("--emit=metadata".to_owned());
    }
    out.push("--sysroot".to_owned());
    out.push(sysroot.to_string_lossy().into_owned());
    out.extend(VIGIL_RUSTC_FLAGS.iter().map(|f| f.to_string()));
    // Cargo declares the cfgs it knows (`--check-cfg`); `miri` is a well-known cfg of rustc,
    // `vigil` must be declared or `#[cfg(vigil)]` would trigger `unexpected_cfgs`. Only added
    // when cfg checking is on anyway, since a first `--check-cfg` switches checking on.
    if !ra::values(args, "--check-cfg").is_empty() {
        out.push("--check-cfg=cfg(vigil)".to_owned());
    }
    out
}

/// `dep-info,link` -> `dep-info,metadata`.
fn metadata_instead_of_link(emit: &str) -> String {
    let mut kinds: Vec<&str> = emit.split(',').map(str::trim).filter(|k| *k != "link").collect();
    if !kinds.contains(&"metadata") {
        kinds.push("metadata");
    }
    kinds.join(",")
}

/// `name=/path/libname-hash.rlib` -> `name=/path/libname-hash.rmeta`: the `.rlib`s of target
/// crates are empty stubs. Other externs (`.so` of proc macros, bare `proc_macro`) are kept.
pub(crate) fn patch_extern(value: &str) -> String {
    match value.strip_suffix(".rlib") {
        Some(stem) if value.contains('=') => format!("{stem}.rmeta"),
        _ => value.to_owned(),
    }
}

/// The arguments stored in the record, for `vigil run-record` to re-run rustc in-process:
/// the check-build command line, minus what only makes sense under cargo: JSON diagnostics
/// (nobody parses them at run time) and incremental compilation (the run would write to
/// cargo's incremental directory). `--emit` is just `metadata`, so a driver that lets
/// compilation continue past analysis writes nothing cargo cares about.
fn record_args(adjusted: &[String]) -> Vec<String> {
    let mut items = Vec::new();
    for item in ra::items(adjusted) {
        match item {
            Item::Opt { name, .. } if name == "--error-format" || name == "--json" => {}
            Item::Opt { name, joined, .. } if name == "--emit" => items.push(Item::Opt { name, value: "metadata".to_owned(), joined }),
            Item::Codegen { ref setting, .. } if setting.starts_with("incremental=") => {}
            other => items.push(other),
        }
    }
    ra::unparse(&items)
}

/// The compile-time environment, for `env!`/`option_env!` when the driver re-runs rustc:
/// everything except [`ENV_NOT_RECORDED`] and variables that are not UTF-8. Build scripts can
/// set arbitrary variables (`cargo:rustc-env=...`), so no allow-list would be complete.
fn recorded_env() -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| !ENV_NOT_RECORDED.contains(&k.as_str()))
        .collect();
    env.sort();
    env
}

/// The files cargo expects this invocation to produce (for `--emit=link`): `-o`, or else what
/// `rustc --print file-names` says for this crate name, crate types, target and extra filename.
fn output_files(rustc: &Path, args: &[String]) -> Result<Vec<PathBuf>, String> {
    if let Some(out) = ra::value(args, "-o") {
        return Ok(vec![PathBuf::from(out)]);
    }
    let out_dir = PathBuf::from(ra::value(args, "--out-dir").unwrap_or("."));
    let mut cmd = Command::new(rustc);
    cmd.args(["-", "--print=file-names"]);
    for name in ["--crate-name", "--target"] {
        if let Some(v) = ra::value(args, name) {
            cmd.arg(name).arg(v);
        }
    }
    for t in ra::crate_types(args) {
        cmd.arg("--crate-type").arg(t);
    }
    if ra::has_flag(args, "--test") {
        cmd.arg("--test");
    }
    if let Some(extra) = ra::codegen_value(args, "extra-filename") {
        cmd.arg(format!("-Cextra-filename={extra}"));
    }
    let out = cmd.stdin(std::process::Stdio::null()).output().map_err(|e| format!("cannot run `{}`: {e}", rustc.display()))?;
    if !out.status.success() {
        return Err(format!("`{cmd:?}` failed while computing output file names:\n{}", String::from_utf8_lossy(&out.stderr).trim_end()));
    }
    let names = String::from_utf8_lossy(&out.stdout);
    let files: Vec<PathBuf> = names.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| out_dir.join(l)).collect();
    if files.is_empty() {
        return Err(format!("`{cmd:?}` printed no output file names"));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn classification() {
        let t = "--target x86_64-unknown-linux-gnu";
        assert_eq!(classify(&v("-vV")), Kind::Query);
        assert_eq!(classify(&v(&format!("- --crate-name ___ --print=cfg {t}"))), Kind::Query);
        assert_eq!(classify(&v("--crate-name dep src/lib.rs --crate-type lib")), Kind::Host);
        assert_eq!(classify(&v(&format!("--crate-name build_script_build build.rs --crate-type bin {t}"))), Kind::Host);
        assert_eq!(classify(&v(&format!("--crate-name m src/lib.rs --crate-type proc-macro {t}"))), Kind::Host);
        assert_eq!(classify(&v("--crate-name m src/lib.rs --test --extern proc_macro")), Kind::HostTest);
        assert_eq!(classify(&v(&format!("--crate-name l src/lib.rs --crate-type lib {t}"))), Kind::TargetLib);
        assert_eq!(classify(&v(&format!("--crate-name l src/lib.rs --crate-type rlib,cdylib {t}"))), Kind::TargetLib);
        assert_eq!(classify(&v(&format!("--crate-name b src/main.rs --crate-type bin {t}"))), Kind::TargetRunnable);
        assert_eq!(classify(&v(&format!("--crate-name l src/lib.rs --test {t}"))), Kind::TargetRunnable);
    }

    #[test]
    fn target_args_are_metadata_only_with_vigil_flags() {
        let args = v("--crate-name hello --edition=2024 src/main.rs --error-format=json \
             --json=diagnostic-rendered-ansi --crate-type bin --emit=dep-info,link -C embed-bitcode=no \
             --check-cfg cfg(docsrs,test) -C incremental=/t/incr -C extra-filename=-0a1b \
             --out-dir /t/deps --target x86_64-unknown-linux-gnu \
             --extern mylib=/t/deps/libmylib-9f.rlib --extern mac=/t/debug/deps/libmac-1.so \
             --extern proc_macro --sysroot /elsewhere");
        let adjusted = adjusted_for_target(&args, Path::new("/sys root"), Emit::MetadataInsteadOfLink);
        assert!(adjusted.contains(&"--emit=dep-info,metadata".to_owned()), "{adjusted:?}");
        assert!(adjusted.contains(&"mylib=/t/deps/libmylib-9f.rmeta".to_owned()));
        assert!(adjusted.contains(&"mac=/t/debug/deps/libmac-1.so".to_owned()));
        assert!(adjusted.contains(&"proc_macro".to_owned()));
        assert!(!adjusted.contains(&"/elsewhere".to_owned()));
        let sysroot_at = adjusted.iter().position(|a| a == "--sysroot").unwrap();
        assert_eq!(adjusted[sysroot_at + 1], "/sys root");
        assert!(adjusted.ends_with(&["--check-cfg=cfg(vigil)".to_owned()]));
        for flag in VIGIL_RUSTC_FLAGS {
            assert!(adjusted.iter().any(|a| a == flag), "{flag} missing");
        }

        let recorded = record_args(&adjusted);
        assert!(recorded.contains(&"--emit=metadata".to_owned()), "{recorded:?}");
        assert!(!recorded.iter().any(|a| a.starts_with("--error-format") || a.starts_with("--json")));
        assert!(!recorded.iter().any(|a| a.starts_with("incremental")));
        assert!(recorded.contains(&"extra-filename=-0a1b".to_owned()));
        assert!(recorded.contains(&"embed-bitcode=no".to_owned()));
        assert!(recorded.contains(&"mylib=/t/deps/libmylib-9f.rmeta".to_owned()));
    }

    #[test]
    fn emit_rewriting() {
        assert_eq!(metadata_instead_of_link("dep-info,metadata,link"), "dep-info,metadata");
        assert_eq!(metadata_instead_of_link("dep-info,link"), "dep-info,metadata");
        assert_eq!(metadata_instead_of_link("link"), "metadata");
        assert!(emits_link(&v("--crate-name x")));
        assert!(emits_link(&v("--emit=dep-info,link")));
        assert!(!emits_link(&v("--emit=dep-info,metadata")));
        // No `--emit` at all means `link`; the metadata-only build adds one.
        let adjusted = adjusted_for_target(&v("x.rs --target t"), Path::new("/s"), Emit::MetadataInsteadOfLink);
        assert!(adjusted.contains(&"--emit=metadata".to_owned()));
    }

    #[test]
    fn recorded_env_leaves_out_plumbing() {
        let env = recorded_env();
        assert!(env.windows(2).all(|w| w[0] <= w[1]), "sorted");
        assert!(!env.iter().any(|(k, _)| ENV_NOT_RECORDED.contains(&k.as_str())));
    }
}
