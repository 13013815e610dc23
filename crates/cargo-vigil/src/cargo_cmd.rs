//! The user-facing subcommand: `cargo vigil setup|run|test`.

use std::env;
use std::path::PathBuf;
use std::process::Command;

use vigil_build::{ENV_LOCAL_CRATES, ensure_sysroot, toolchain_cargo, toolchain_rustc};

use crate::{ENV_RUSTDOC, ENV_WRAPPER, exec};

const HELP: &str = "\
Runs a package's binaries and tests under Vigil, which interprets their MIR and stops at the
first undefined behavior.

Usage:
    cargo vigil run [<cargo run options>] [-- <program arguments>]
    cargo vigil test [<cargo test options>] [-- <test harness arguments>]
    cargo vigil nextest run [<cargo nextest options>]
    cargo vigil setup [--print-sysroot]
    cargo vigil clean [<cargo clean options>]

Subcommands:
    run, r      Build the package for Vigil and interpret a binary (like `cargo run`)
    test, t     Build the package's tests for Vigil and interpret them (like `cargo test`)
    nextest     Run the tests with cargo-nextest (installed separately), each test in a
                process of its own; `--partition count:M/N` or `hash:M/N` splits a suite
    setup       Prepare Vigil's standard library (done automatically by run and test).
                With --print-sysroot, print its path (and nothing else) on stdout.
    clean       Remove what `cargo vigil` built (`<target dir>/vigil`), like `cargo clean`

Options of `cargo run`/`cargo test` work as usual. Builds go to `<target dir>/vigil`, so
native builds are left alone. Doctests run under Vigil too.

Environment:
    VIGILFLAGS          Flags for Vigil itself (such as -Zvigil-...), split on whitespace
    VIGIL               Path of the `vigil` driver (default: next to cargo-vigil)
    VIGIL_SYSROOT       Use this sysroot as-is instead of building one
    VIGIL_CARGO_LOG     Log every command cargo-vigil runs: `1` for stderr (cargo may
                        replay those lines later for crates it considers fresh), or
                        the path of a file to append to
";

pub fn main(mut args: Vec<String>) -> Result<i32, String> {
    let Some(sub) = (!args.is_empty()).then(|| args.remove(0)) else {
        print!("{HELP}");
        return Err("`cargo vigil` needs a subcommand: `run`, `test` or `setup`".to_owned());
    };
    match sub.as_str() {
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(0)
        }
        "-V" | "--version" | "version" => {
            println!("cargo-vigil {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        "setup" => setup(&args),
        "run" | "r" => forward("run", args),
        "test" | "t" => forward("test", args),
        "clean" => clean(args),
        "nextest" => {
            // `cargo vigil nextest run ...`: cargo-nextest with Vigil's build and runner.
            if args.is_empty() {
                return Err("`cargo vigil nextest` needs a nextest subcommand, such as `run` or `list`".into());
            }
            let nextest_sub = args.remove(0);
            forward(&format!("nextest {nextest_sub}"), args)
        }
        other => Err(format!(
            "unknown subcommand `{other}`; `cargo vigil` supports `run`, `test`, `nextest`, `setup` and `clean` \
             (see `cargo vigil --help`)"
        )),
    }
}

fn setup(args: &[String]) -> Result<i32, String> {
    let mut print = false;
    for arg in args {
        match arg.as_str() {
            "--print-sysroot" => print = true,
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(0);
            }
            other => {
                return Err(format!("unexpected argument `{other}` for `cargo vigil setup`"));
            }
        }
    }
    let sysroot = ensure_sysroot()?;
    if print {
        println!("{}", sysroot.display());
    } else {
        eprintln!("Vigil's sysroot: {}", sysroot.display());
    }
    Ok(0)
}

/// Cargo options cargo-vigil looks at (only before `--`; after it come program arguments).
struct CargoOpts {
    target: Option<String>,
    target_dir: Option<String>,
    manifest_path: Option<String>,
    /// Everything to pass on, minus `--target-dir` (cargo-vigil sets its own).
    rest: Vec<String>,
}

fn parse_cargo_opts(args: Vec<String>) -> CargoOpts {
    let mut opts = CargoOpts { target: None, target_dir: None, manifest_path: None, rest: Vec::new() };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            opts.rest.push(arg);
            opts.rest.extend(it.by_ref());
            break;
        }
        let mut take = |name: &str, slot: &mut Option<String>, keep: bool, rest: &mut Vec<String>| -> bool {
            if arg == name {
                let value = it.next();
                if keep {
                    rest.push(arg.clone());
                    rest.extend(value.clone());
                }
                *slot = value;
                true
            } else if let Some(v) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                if keep {
                    rest.push(arg.clone());
                }
                *slot = Some(v.to_owned());
                true
            } else {
                false
            }
        };
        if take("--target", &mut opts.target, true, &mut opts.rest)
            || take("--target-dir", &mut opts.target_dir, false, &mut opts.rest)
            || take("--manifest-path", &mut opts.manifest_path, true, &mut opts.rest)
        {
            continue;
        }
        opts.rest.push(arg);
    }
    opts
}

/// `cargo vigil run/test ...` -> `cargo run/test --target <host> --target-dir <dir>/vigil ...`
/// with cargo-vigil as rustc wrapper and runner.
fn forward(sub: &str, args: Vec<String>) -> Result<i32, String> {
    let opts = parse_cargo_opts(args);
    let rustc = toolchain_rustc();
    let host = host_triple(&rustc)?;
    if let Some(target) = &opts.target
        && *target != host
    {
        return Err(format!(
            "Vigil interprets programs for the host only; `--target {target}` is not \
             supported (the host is `{host}`)"
        ));
    }
    let me = env::current_exe().map_err(|e| format!("cannot locate cargo-vigil's own executable: {e}"))?;
    let me_str = me.to_str().ok_or_else(|| format!("cargo-vigil's path `{}` is not valid UTF-8", me.display()))?.to_owned();
    let sysroot = ensure_sysroot()?;
    let ws = workspace(&opts)?;
    let target_dir = ws.vigil_target_dir;

    for (var, what) in [("RUSTC", "rustc"), ("RUSTC_WRAPPER", "rustc wrapper")] {
        if env::var_os(var).is_some_and(|v| !v.is_empty()) {
            eprintln!("warning: ignoring {var}: Vigil needs its own {what}");
        }
    }

    let mut cmd = Command::new(toolchain_cargo());
    cmd.args(sub.split(' '));
    // Our options go first: cargo stops reading options at the first positional argument.
    if opts.target.is_none() {
        // With an explicit target, cargo builds build scripts and proc macros without
        // `--target`, which is how the wrapper tells them from the crates Vigil interprets.
        cmd.arg("--target").arg(&host);
    }
    cmd.arg("--target-dir").arg(&target_dir);
    let runner_var = format!("CARGO_TARGET_{}_RUNNER", host.to_uppercase().replace(['-', '.'], "_"));
    if me_str.contains(char::is_whitespace) {
        // The environment variable form is split on whitespace; a TOML array is not.
        cmd.arg("--config").arg(format!("target.{}.runner=[{}, \"runner\"]", toml_string(&host), toml_string(&me_str)));
        cmd.env_remove(&runner_var);
    } else {
        cmd.env(&runner_var, format!("{me_str} runner"));
    }
    cmd.args(&opts.rest);

    cmd.env("RUSTC", &rustc)
        .env("RUSTC_WRAPPER", &me)
        .env(ENV_WRAPPER, &rustc)
        // An empty workspace wrapper disables one from the user's config (clippy, sccache...).
        .env("RUSTC_WORKSPACE_WRAPPER", "")
        .env_remove("CARGO_BUILD_RUSTC")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER")
        .env("VIGIL_SYSROOT", &sysroot)
        .env(ENV_LOCAL_CRATES, ws.local_crates.join(","))
        // Cargo mixes this into every unit's metadata hash (bootstrap and rustc-build-sysroot
        // use it the same way). Cargo does not know about the sysroot the wrapper adds, so
        // without this, a new sysroot (other flags, other Vigil) would leave crates compiled
        // against the old one looking fresh, and rustc would then reject them.
        .env("__CARGO_DEFAULT_LIB_METADATA", format!("vigil {}", sysroot.display()));
    if sub == "test" {
        cmd.env("RUSTDOC", &me).env(ENV_RUSTDOC, "1");
    }
    exec(&mut cmd)
}

/// `cargo vigil clean`: `cargo clean` of Vigil's target directory (native builds stay).
fn clean(args: Vec<String>) -> Result<i32, String> {
    let opts = parse_cargo_opts(args);
    let target_dir = workspace(&opts)?.vigil_target_dir;
    let mut cmd = Command::new(toolchain_cargo());
    cmd.arg("clean").arg("--target-dir").arg(&target_dir).args(&opts.rest);
    exec(&mut cmd)
}

/// The host triple of `rustc` (from `rustc -vV`).
fn host_triple(rustc: &std::path::Path) -> Result<String, String> {
    let out = Command::new(rustc).arg("-vV").output().map_err(|e| format!("cannot run `{} -vV`: {e}", rustc.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_owned())
        .ok_or_else(|| format!("`{} -vV` did not print a host triple", rustc.display()))
}

/// What `cargo metadata` says of the workspace.
struct Workspace {
    /// `<target dir>/vigil`, where the target dir is `--target-dir` or what cargo metadata says
    /// (which accounts for CARGO_TARGET_DIR, config files and workspaces).
    vigil_target_dir: PathBuf,
    /// The crate names of the workspace's packages: reports point into these (as Miri's
    /// `MIRI_LOCAL_CRATES`), so that UB in a workspace library found by an integration test is
    /// shown in the library.
    local_crates: Vec<String>,
}

fn workspace(opts: &CargoOpts) -> Result<Workspace, String> {
    let mut cmd = Command::new(toolchain_cargo());
    cmd.args(["metadata", "--no-deps", "--format-version", "1"]);
    if let Some(path) = &opts.manifest_path {
        cmd.arg("--manifest-path").arg(path);
    }
    let out = cmd.output().map_err(|e| format!("cannot run `cargo metadata`: {e}"))?;
    if !out.status.success() {
        return Err(format!("`cargo metadata` failed:\n{}", String::from_utf8_lossy(&out.stderr).trim_end()));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cannot parse the output of `cargo metadata`: {e}"))?;
    let dir = match &opts.target_dir {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(
            meta.get("target_directory").and_then(|d| d.as_str()).ok_or("`cargo metadata` did not report a target directory")?,
        ),
    };
    let members: Vec<&str> = meta
        .get("workspace_members")
        .and_then(|m| m.as_array())
        .map(|m| m.iter().filter_map(|id| id.as_str()).collect())
        .unwrap_or_default();
    let local_crates = meta
        .get("packages")
        .and_then(|p| p.as_array())
        .map(|packages| {
            packages
                .iter()
                .filter(|p| p.get("id").and_then(|id| id.as_str()).is_some_and(|id| members.contains(&id)))
                .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
                .map(|n| n.replace('-', "_"))
                .collect()
        })
        .unwrap_or_default();
    Ok(Workspace { vigil_target_dir: dir.join("vigil"), local_crates })
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn cargo_options_before_double_dash_only() {
        let o = parse_cargo_opts(v("--bin b --target-dir=/t --target x -- --target y --target-dir z"));
        assert_eq!(o.target.as_deref(), Some("x"));
        assert_eq!(o.target_dir.as_deref(), Some("/t"));
        assert_eq!(o.rest, v("--bin b --target x -- --target y --target-dir z"));

        let o = parse_cargo_opts(v("--manifest-path=a/Cargo.toml --target-dir d filter"));
        assert_eq!(o.manifest_path.as_deref(), Some("a/Cargo.toml"));
        assert_eq!(o.target_dir.as_deref(), Some("d"));
        assert_eq!(o.target, None);
        assert_eq!(o.rest, v("--manifest-path=a/Cargo.toml filter"));
    }

    #[test]
    fn toml_strings() {
        assert_eq!(toml_string(r#"/a b/c"d\e"#), r#""/a b/c\"d\\e""#);
    }
}
