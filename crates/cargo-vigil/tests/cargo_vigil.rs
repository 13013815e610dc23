//! `cargo vigil run/test` on a real cargo package made in a temporary directory: a binary
//! with a build script and a path dependency.
//!
//! `plumbing_*` tests replace the `vigil` driver by a throw-away shell script (written into
//! the test's temporary directory, via `$VIGIL`) that prints what it was given, so they check
//! cargo-vigil's half of the contract alone. `run_end_to_end` uses the real driver.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vigil_build::{InvocationRecord, VIGIL_RUSTC_FLAGS};

mod common;
use common::{CARGO_VIGIL, show};

/// Writes the test package into `dir`: `hello` (bin, build.rs, unit test, integration test)
/// depending on `mylib` by path.
fn make_package(dir: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "Cargo.toml",
            "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nmylib = { path = \"mylib\" }\n",
        ),
        ("build.rs", "fn main() {\n    println!(\"cargo:rustc-env=HELLO_FROM_BUILD=built-by-build-rs\");\n}\n"),
        (
            "src/main.rs",
            r#"fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("{} / {} / args={:?}", mylib::greet("vigil"), env!("HELLO_FROM_BUILD"), args);
    if cfg!(vigil) && cfg!(miri) {
        println!("cfg(vigil) and cfg(miri) are set");
    }
}

#[test]
fn unit() {
    assert_eq!(mylib::greet("x"), "hello, x");
}
"#,
        ),
        ("tests/it.rs", "#[test]\nfn integration() {\n    assert_eq!(mylib::greet(\"y\"), \"hello, y\");\n}\n"),
        ("mylib/Cargo.toml", "[package]\nname = \"mylib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        (
            "mylib/src/lib.rs",
            r#"pub fn greet(who: &str) -> String {
    format!("hello, {who}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_from_threads() {
        let hs: Vec<_> = (0..3).map(|i| std::thread::spawn(move || super::greet(&i.to_string()))).collect();
        let got: Vec<String> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(got, ["hello, 0", "hello, 1", "hello, 2"]);
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn panics() {
        panic!("boom");
    }

    #[test]
    #[cfg_attr(miri, ignore)]
    fn skipped_under_miri() {}
}
"#,
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// `cargo-vigil vigil <args>` in `dir`, as cargo runs it for `cargo vigil <args>`.
fn cargo_vigil(dir: &Path, args: &[&str], vigil: Option<&Path>) -> Output {
    let mut cmd = Command::new(CARGO_VIGIL);
    cmd.arg("vigil").args(args).current_dir(dir);
    // The package must build in its own directory, whatever the outer cargo was told.
    cmd.env_remove("CARGO_TARGET_DIR").env_remove("CARGO_BUILD_TARGET_DIR");
    match vigil {
        // Only the stub gets made-up flags (and sees how they are split).
        Some(v) => cmd.env("VIGIL", v).env("VIGILFLAGS", "-Zvigil-test-flag  -Zvigil-other=1"),
        None => cmd.env_remove("VIGIL").env_remove("VIGILFLAGS"),
    };
    cmd.output().unwrap()
}

/// A stand-in for the driver: prints its arguments and the run directory it was given.
#[cfg(unix)]
fn stub_driver(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("stub-vigil");
    fs::write(
        &path,
        "#!/bin/sh\necho \"stub-vigil: $*\"\necho \"stub-vigil cwd: $VIGIL_RUN_CWD\"\necho \"stub-vigil flags: $VIGILFLAGS\"\nexit 0\n",
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn deps_dir(pkg: &Path) -> PathBuf {
    let host = String::from_utf8(Command::new(vigil_build::toolchain_rustc()).arg("-vV").output().unwrap().stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .unwrap();
    pkg.join("target/vigil").join(host).join("debug/deps")
}

/// The single file in `dir` whose name starts with `prefix` and has no extension.
fn find_artifact(dir: &Path, prefix: &str) -> PathBuf {
    let found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with(prefix) && p.extension().is_none()
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one `{prefix}*` in {}: {found:?}", dir.display());
    found.into_iter().next().unwrap()
}

#[cfg(unix)]
#[test]
fn plumbing_run_writes_records_and_calls_the_driver() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("hello");
    make_package(&pkg);
    let stub = stub_driver(tmp.path());

    let out = cargo_vigil(&pkg, &["run", "--", "a", "b c"], Some(&stub));
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let deps = deps_dir(&pkg);
    let record_path = find_artifact(&deps, "hello-");

    // The runner got the uplifted copy of the record, made absolute, then the program's
    // arguments; VIGILFLAGS reaches the driver through the environment.
    let uplifted = deps.parent().unwrap().join("hello");
    let expected = format!("stub-vigil: run-record {} -- a b c", uplifted.display());
    assert!(stdout.contains(&expected), "expected `{expected}`\n{}", show(&out));
    assert!(stdout.contains("stub-vigil flags: -Zvigil-test-flag  -Zvigil-other=1"), "{}", show(&out));
    assert!(stdout.contains(&format!("stub-vigil cwd: {}", pkg.display())), "{}", show(&out));

    // The record: Vigil's sysroot and flags, metadata-only emission, the dependency's rmeta,
    // the compile-time environment (including what build.rs set) and directory.
    let record = InvocationRecord::read(&record_path).unwrap();
    assert_eq!(InvocationRecord::read(&uplifted).unwrap(), record);
    let args = &record.args;
    assert!(args.iter().any(|a| a == "--sysroot"), "{args:?}");
    for flag in VIGIL_RUSTC_FLAGS {
        assert!(args.iter().any(|a| a == flag), "{flag} missing from {args:?}");
    }
    assert!(args.iter().any(|a| a == "--emit=metadata"), "{args:?}");
    assert!(!args.iter().any(|a| a.starts_with("--error-format")), "{args:?}");
    assert!(args.iter().any(|a| a.starts_with("mylib=") && a.ends_with(".rmeta")), "{args:?}");
    let env = |k: &str| record.env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(env("HELLO_FROM_BUILD"), Some("built-by-build-rs"));
    assert_eq!(env("CARGO_PKG_NAME"), Some("hello"));
    assert_eq!(env("CARGO_MAKEFLAGS"), None);
    assert_eq!(fs::canonicalize(&record.cwd).unwrap(), fs::canonicalize(&pkg).unwrap());

    // The record's command line is a valid rustc invocation (this is what the driver re-runs).
    let mut rustc = Command::new(vigil_build::toolchain_rustc());
    rustc.args(args).current_dir(&record.cwd).env_clear().envs(record.env.iter().cloned());
    let check = rustc.output().unwrap();
    assert!(check.status.success(), "re-running the record failed:\n{}", show(&check));

    // The library was compiled metadata-only: a real .rmeta, and an empty stub .rlib for cargo.
    let rlib =
        fs::read_dir(&deps).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "rlib")).expect("stub rlib");
    assert_eq!(fs::metadata(&rlib).unwrap().len(), 0);
    assert!(fs::metadata(rlib.with_extension("rmeta")).unwrap().len() > 0);
}

#[cfg(unix)]
#[test]
fn plumbing_test_runs_every_harness_and_the_doctests() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("hello");
    make_package(&pkg);
    fs::write(
        pkg.join("mylib/src/lib.rs"),
        "/// ```\n/// assert!(true);\n/// ```\npub fn greet(who: &str) -> String {\n    format!(\"hello, {who}\")\n}\n",
    )
    .unwrap();
    fs::write(pkg.join("Cargo.toml"), fs::read_to_string(pkg.join("Cargo.toml")).unwrap() + "\n[workspace]\nmembers = [\"mylib\"]\n")
        .unwrap();
    let stub = stub_driver(tmp.path());

    let out = cargo_vigil(&pkg, &["test", "--workspace", "--", "--test-threads=1"], Some(&stub));
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Unit tests of hello and mylib, hello's integration test, and mylib's doctest, which
    // rustdoc hands to the runner too (its output is rustdoc's, not the harness's).
    assert_eq!(stdout.matches("stub-vigil: run-record").count(), 3, "{}", show(&out));
    assert!(stdout.contains("-- --test-threads=1"), "{}", show(&out));
    assert!(stdout.contains("test mylib/src/lib.rs - greet (line 1) ... ok"), "{}", show(&out));
    let _ = stderr;
}

#[cfg(unix)]
#[test]
fn plumbing_compile_errors_fail_the_build_without_a_record() {
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("hello");
    make_package(&pkg);
    let main = pkg.join("src/main.rs");
    fs::write(&main, fs::read_to_string(&main).unwrap() + "fn broken() -> u32 { \"no\" }\n").unwrap();
    let stub = stub_driver(tmp.path());

    let out = cargo_vigil(&pkg, &["run"], Some(&stub));
    assert!(!out.status.success(), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0308]: mismatched types"), "{}", show(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("stub-vigil"), "{}", show(&out));
}

#[test]
fn usage_errors_are_reported_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cargo_vigil(tmp.path(), &["frobnicate"], None);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown subcommand `frobnicate`"));

    let out = cargo_vigil(tmp.path(), &["--help"], None);
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cargo vigil run"));

    let out = Command::new(CARGO_VIGIL).args(["runner", "/nonexistent/record"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"), "{}", show(&out));

    let out = cargo_vigil(tmp.path(), &["run", "--target", "wasm32-unknown-unknown"], None);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("host only"), "{}", show(&out));
}

/// The whole pipeline with the real driver (`vigil`, built next to cargo-vigil by
/// `cargo build -p vigil-driver`).
#[test]
fn run_end_to_end() {
    let vigil = Path::new(CARGO_VIGIL).with_file_name(format!("vigil{}", std::env::consts::EXE_SUFFIX));
    assert!(vigil.is_file(), "`{}` is missing; run `cargo build -p vigil-driver` first", vigil.display());
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("hello");
    make_package(&pkg);

    let out = cargo_vigil(&pkg, &["run", "--", "a", "b"], None);
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "hello, vigil / built-by-build-rs / args=[\"a\", \"b\"]\ncfg(vigil) and cfg(miri) are set\n", "{}", show(&out));
}

/// `cargo vigil test` through the real driver: libtest runs each test on a thread of its own.
#[test]
fn test_end_to_end() {
    let vigil = Path::new(CARGO_VIGIL).with_file_name(format!("vigil{}", std::env::consts::EXE_SUFFIX));
    assert!(vigil.is_file(), "`{}` is missing; run `cargo build -p vigil-driver` first", vigil.display());
    let tmp = tempfile::tempdir().unwrap();
    let pkg = tmp.path().join("hello");
    make_package(&pkg);
    let out = cargo_vigil(&pkg, &["test"], None);
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("test unit ... ok"), "{}", show(&out));
    assert!(stdout.contains("test integration ... ok"), "{}", show(&out));

    // A library's unit tests: threads, `should_panic`, and `cfg_attr(miri, ignore)` honoured.
    let out = cargo_vigil(&pkg.join("mylib"), &["test"], None);
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("test tests::greets_from_threads ... ok"), "{}", show(&out));
    assert!(stdout.contains("test tests::panics - should panic ... ok"), "{}", show(&out));
    assert!(stdout.contains("test tests::skipped_under_miri ... ignored"), "{}", show(&out));
    assert!(stdout.contains("test result: ok. 2 passed; 0 failed; 1 ignored"), "{}", show(&out));
}
