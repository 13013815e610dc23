//! Vigil's sysroot: the standard library compiled from `rust-src` with [`VIGIL_RUSTC_FLAGS`],
//! metadata only (Vigil interprets MIR, it never runs native code from the sysroot).
//!
//! Layout: `<cache>/vigil/sysroot/<key>/` is the sysroot passed to rustc as `--sysroot`, where
//! `<key>` hashes everything the build depends on (see [`cache_key`]); `<key>.lock` serializes
//! builds between processes; `<key>/vigil-sysroot-ready` is written last and marks a complete
//! build, so a reader that sees it never needs the lock.

use std::env;
use std::ffi::OsString;
use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use rustc_build_sysroot::{BuildMode, SysrootBuilder, SysrootConfig};

use crate::VIGIL_RUSTC_FLAGS;
use crate::facts::{Facts, toolchain_facts};
use crate::toolchain::{toolchain_cargo, toolchain_rustc};

/// Changes whenever the way the sysroot is built changes in a way the other key inputs do not
/// show (build mode, std features, panic strategy, the builder crate's behaviour).
/// Cargo features of std in Vigil's sysroot (the native std has these too).
const STD_FEATURES: &[&str] = &["backtrace"];

const RECIPE: &str = "vigil-sysroot/3 rustc-build-sysroot-0.5 check with-std(backtrace) panic=unwind panic_abort=abort";

/// Name of the file that marks a finished sysroot.
const READY_MARKER: &str = "vigil-sysroot-ready";

/// What a sysroot for the current toolchain would be, and where it lives.
struct Plan {
    /// The sysroot directory (`--sysroot`).
    dir: PathBuf,
    /// The lock file guarding its construction.
    lock: PathBuf,
    /// The `library` directory of rust-src.
    src: PathBuf,
    rustc: PathBuf,
    version: rustc_version::VersionMeta,
    /// Human-readable key inputs, stored in the ready marker for debugging.
    description: String,
}

impl Plan {
    fn is_ready(&self) -> bool {
        self.dir.join(READY_MARKER).is_file()
    }
}

/// Returns Vigil's sysroot directory, building it first (with progress on stderr) when it is
/// missing or stale. Honours `VIGIL_SYSROOT` (used as-is, never built).
///
/// Safe to call from many processes at once: one builds, the others wait for it.
pub fn ensure_sysroot() -> Result<PathBuf, String> {
    if let Some(dir) = sysroot_from_env()? {
        return Ok(dir);
    }
    let plan = plan()?;
    if plan.is_ready() {
        return Ok(plan.dir);
    }

    let base = plan.lock.parent().expect("lock file has a parent");
    fs::create_dir_all(base).map_err(|e| format!("cannot create Vigil's cache directory `{}`: {e}", base.display()))?;
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&plan.lock)
        .map_err(|e| format!("cannot open lock file `{}`: {e}", plan.lock.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!("Waiting for another process to finish preparing Vigil's sysroot...");
            lock.lock().map_err(|e| format!("cannot lock `{}`: {e}", plan.lock.display()))?;
        }
        Err(TryLockError::Error(e)) => {
            return Err(format!("cannot lock `{}`: {e}", plan.lock.display()));
        }
    }
    // Another process may have finished the build while we waited.
    if plan.is_ready() {
        return Ok(plan.dir);
    }
    let result = build(&plan);
    // The lock is released when `lock` is closed, also on error.
    drop(lock);
    result.map(|()| plan.dir)
}

/// Like [`ensure_sysroot`] but never builds: `Ok(None)` when missing or stale.
pub fn find_sysroot() -> Result<Option<PathBuf>, String> {
    if let Some(dir) = sysroot_from_env()? {
        return Ok(Some(dir));
    }
    let plan = plan()?;
    Ok(plan.is_ready().then_some(plan.dir))
}

fn sysroot_from_env() -> Result<Option<PathBuf>, String> {
    match env::var_os("VIGIL_SYSROOT") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_dir() { Ok(Some(dir)) } else { Err(format!("VIGIL_SYSROOT is set to `{}`, which is not a directory", dir.display())) }
        }
        _ => Ok(None),
    }
}

fn plan() -> Result<Plan, String> {
    let rustc = toolchain_rustc();
    let base = cache_base(env::var_os("XDG_CACHE_HOME"), env::var_os("HOME"));
    let facts = toolchain_facts(&rustc, base.as_deref().ok(), || ask_rustc(&rustc))?;
    let verbose_version = facts.verbose_version;
    let version = rustc_version::version_meta_for(&verbose_version)
        .map_err(|e| format!("cannot parse the output of `{} -vV`: {e}", rustc.display()))?;

    let src = match env::var_os("VIGIL_LIB_SRC") {
        Some(src) if !src.is_empty() => PathBuf::from(src),
        _ => facts.sysroot_src?,
    };
    if !src.join("std").join("Cargo.toml").is_file() {
        return Err(format!(
            "the standard library sources are missing (no `{}`); install them with \
             `rustup component add rust-src --toolchain {}` (or point VIGIL_LIB_SRC at a \
             `library` directory)",
            src.join("std").join("Cargo.toml").display(),
            toolchain_name(&rustc),
        ));
    }

    let key = cache_key(&verbose_version, VIGIL_RUSTC_FLAGS, &src);
    let base = base?;
    let description =
        format!("{RECIPE}\nrustc: {}\nflags: {}\nsrc: {}\n{verbose_version}", rustc.display(), VIGIL_RUSTC_FLAGS.join(" "), src.display());
    Ok(Plan { dir: base.join(&key), lock: base.join(format!("{key}.lock")), src, rustc, version, description })
}

/// Asks `rustc` for its verbose version and the place of its standard library sources.
fn ask_rustc(rustc: &Path) -> Result<Facts, String> {
    let out = Command::new(rustc).arg("-vV").output().map_err(|e| format!("cannot run `{} -vV`: {e}", rustc.display()))?;
    if !out.status.success() {
        return Err(format!("`{} -vV` failed:\n{}", rustc.display(), String::from_utf8_lossy(&out.stderr).trim_end()));
    }
    let verbose_version = String::from_utf8(out.stdout).map_err(|_| format!("`{} -vV` printed non-UTF-8 output", rustc.display()))?;
    let sysroot_src = rustc_build_sysroot::rustc_sysroot_src(Command::new(rustc))
        .map_err(|e| format!("cannot locate the standard library sources: {e:#}"));
    Ok(Facts { verbose_version, sysroot_src })
}

/// A name for the toolchain of `rustc`, for messages (`nightly-2026-05-20-x86_64-...`).
fn toolchain_name(rustc: &Path) -> String {
    rustc
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "<toolchain>".to_owned())
}

/// `$XDG_CACHE_HOME/vigil/sysroot`, else `$HOME/.cache/vigil/sysroot`.
fn cache_base(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Result<PathBuf, String> {
    // The XDG spec says relative values are invalid and must be ignored.
    let xdg = xdg_cache_home.map(PathBuf::from).filter(|p| p.is_absolute());
    let cache = match xdg {
        Some(dir) => dir,
        None => match home {
            Some(home) if !home.is_empty() => PathBuf::from(home).join(".cache"),
            _ => {
                return Err("cannot find a cache directory for Vigil's sysroot: neither \
                            XDG_CACHE_HOME nor HOME is set (or set VIGIL_SYSROOT)"
                    .to_owned());
            }
        },
    };
    Ok(cache.join("vigil").join("sysroot"))
}

/// The name of the cache subdirectory: a hash of everything the sysroot depends on (the
/// compiler's `-vV` output, the flags, the rust-src path and the build recipe), so that a
/// toolchain update or a change of flags gets a fresh sysroot and the old one stays valid for
/// whoever still uses it.
fn cache_key(rustc_verbose_version: &str, flags: &[&str], src: &Path) -> String {
    let flag_count = (flags.len() as u64).to_le_bytes();
    let parts = [RECIPE.as_bytes(), rustc_verbose_version.as_bytes(), &flag_count[..]];
    let flags = flags.iter().map(|f| f.as_bytes());
    fnv_key(parts.into_iter().chain(flags).chain([src.as_os_str().as_encoded_bytes()]))
}

/// FNV-1a of `parts`, each followed by a 0xff byte (so that boundaries count), as 16 hex
/// digits: stable across Rust versions and platforms, unlike `DefaultHasher`. Names the
/// sysroot and toolchain-memo files of the cache.
pub(crate) fn fnv_key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn build(plan: &Plan) -> Result<(), String> {
    eprintln!("Preparing a sysroot for Vigil (run once)...");
    eprintln!("  std sources: {}", plan.src.display());
    eprintln!("  sysroot:     {}", plan.dir.display());
    let start = Instant::now();

    // A ticker, so that a long build in a CI log does not look like a hang.
    let (stop, stopped) = mpsc::channel::<()>();
    let ticker = thread::spawn(move || {
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(Duration::from_secs(30)) {
            eprintln!("  ... still building ({})", format_elapsed(start.elapsed()));
        }
    });

    let mut cargo = Command::new(toolchain_cargo());
    cargo
        .env("RUSTC", &plan.rustc)
        // Nothing from the caller's cargo setup may leak into the sysroot build: an empty
        // wrapper disables a configured one, and the builder sets the flags itself.
        // Our own executable wraps rustc so that `panic_abort` gets `-Cpanic=abort`, as in
        // rustc's bootstrap (see `run_sysroot_wrapper_if_requested`).
        .env("RUSTC_WRAPPER", std::env::current_exe().map_err(|e| format!("cannot find the running executable: {e}"))?)
        .env(SYSROOT_WRAPPER_ENV, "1")
        .env("RUSTC_WORKSPACE_WRAPPER", "")
        .env_remove("CARGO_BUILD_RUSTC")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTUP_TOOLCHAIN")
        // Keep the user's project `.cargo/config.toml` out of it.
        .current_dir(plan.lock.parent().expect("lock file has a parent"));
    let result = SysrootBuilder::new(&plan.dir, &plan.version.host)
        .build_mode(BuildMode::Check)
        .sysroot_config(SysrootConfig::WithStd {
            // Like the native std: with `backtrace`, panics print the RUST_BACKTRACE hint.
            std_features: STD_FEATURES.iter().map(|s| s.to_string()).collect(),
        })
        .rustflags(VIGIL_RUSTC_FLAGS)
        .cargo(cargo)
        .rustc_version(plan.version.clone())
        .build_from_source(&plan.src);

    drop(stop);
    let _ = ticker.join();

    result.map_err(|e| format!("failed to build Vigil's sysroot: {e:#}"))?;
    let marker = plan.dir.join(READY_MARKER);
    fs::write(&marker, &plan.description).map_err(|e| format!("cannot write `{}`: {e}", marker.display()))?;
    eprintln!("Vigil's sysroot is ready ({}).", format_elapsed(start.elapsed()));
    Ok(())
}

/// Marks a process started by cargo as the rustc wrapper of the sysroot build.
const SYSROOT_WRAPPER_ENV: &str = "VIGIL_SYSROOT_RUSTC_WRAPPER";

/// Called first thing by every binary that may build the sysroot: when this process is the
/// sysroot build's rustc wrapper, run rustc (with `-Cpanic=abort` for the `panic_abort`
/// crate, which must have that strategy for `-C panic=abort` programs) and exit.
pub fn run_sysroot_wrapper_if_requested() {
    if std::env::var_os(SYSROOT_WRAPPER_ENV).is_none() {
        return;
    }
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else { return };
    let args: Vec<_> = args.collect();
    let is_panic_abort = args.windows(2).any(|w| w[0] == "--crate-name" && w[1] == "panic_abort");
    let mut cmd = Command::new(rustc);
    cmd.args(&args).env_remove(SYSROOT_WRAPPER_ENV);
    if is_panic_abort {
        cmd.arg("-Cpanic=abort");
    }
    match cmd.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cannot run rustc for the sysroot build: {e}");
            std::process::exit(1);
        }
    }
}

fn format_elapsed(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 { format!("{}m {:02}s", secs / 60, secs % 60) } else { format!("{:.1}s", d.as_secs_f64()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VV: &str = "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\n";

    #[test]
    fn cache_key_is_stable_and_hex() {
        let src = Path::new("/toolchain/lib/rustlib/src/rust/library");
        let key = cache_key(VV, VIGIL_RUSTC_FLAGS, src);
        assert_eq!(key, cache_key(VV, VIGIL_RUSTC_FLAGS, src));
        // The value FNV-1a gives these inputs (computed apart from this code): a change here
        // moves every user's sysroot, so it must come from a change of the recipe or flags.
        assert_eq!(key, "1b8b99c4ae51a6f3");
        assert_eq!(key.len(), 16);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
    }

    #[test]
    fn cache_key_depends_on_every_input() {
        let src = Path::new("/toolchain/lib/rustlib/src/rust/library");
        let key = cache_key(VV, VIGIL_RUSTC_FLAGS, src);
        let other_vv = VV.replace("e50aa6fba 2026-05-19", "0123abcde 2026-05-20");
        assert_ne!(key, cache_key(&other_vv, VIGIL_RUSTC_FLAGS, src));
        assert_ne!(key, cache_key(VV, &VIGIL_RUSTC_FLAGS[1..], src));
        assert_ne!(key, cache_key(VV, &["--cfg=miri", "-Zfoo"], src));
        assert_ne!(key, cache_key(VV, VIGIL_RUSTC_FLAGS, Path::new("/other/library")));
        // Flag boundaries matter: ["ab", "c"] and ["a", "bc"] are different flag lists.
        assert_ne!(cache_key(VV, &["ab", "c"], src), cache_key(VV, &["a", "bc"], src));
    }

    #[test]
    fn cache_base_follows_xdg_then_home() {
        let base = cache_base(Some("/xdg".into()), Some("/home/u".into())).unwrap();
        assert_eq!(base, Path::new("/xdg/vigil/sysroot"));
        let base = cache_base(None, Some("/home/u".into())).unwrap();
        assert_eq!(base, Path::new("/home/u/.cache/vigil/sysroot"));
        // A relative XDG_CACHE_HOME is invalid per the spec and ignored.
        let base = cache_base(Some("rel".into()), Some("/home/u".into())).unwrap();
        assert_eq!(base, Path::new("/home/u/.cache/vigil/sysroot"));
        assert!(cache_base(None, None).is_err());
    }

    #[test]
    fn elapsed_formatting() {
        assert_eq!(format_elapsed(Duration::from_millis(4200)), "4.2s");
        assert_eq!(format_elapsed(Duration::from_secs(125)), "2m 05s");
    }
}
