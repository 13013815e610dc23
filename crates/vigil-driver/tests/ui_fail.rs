//! UI "fail" tests: every `tests/ui/fail/**/*.rs` program has undefined behavior that Vigil must report,
//! with the diagnostic on the line its `//~` annotation names and the whole report equal to the blessed
//! `<name>.stderr` next to the program. Driven by the `ui_test` crate, as Miri's test suite is.
//!
//! Contract, for each program (run from the workspace root, so paths read `tests/ui/fail/<name>.rs`):
//! 1. Vigil runs it: `vigil run --error-format=json -Dwarnings -Dunused -Ainternal_features
//!    tests/ui/fail/<name>.rs <//@compile-flags> --edition 2021`, with `RUST_BACKTRACE=0` and `VIGILFLAGS`
//!    removed from the environment. Vigil is a rustc driver, so `--error-format=json` makes rustc's emitter
//!    print every diagnostic, Vigil's UB reports included, as one JSON object per line; ui_test reads those.
//! 2. The exit code must be 1 (Vigil's code for UB and unsupported operations), unless the file says
//!    `//@check-pass` (exit code 0, no error; used for the programs that show a flag such as
//!    `-Zvigil-ignore-leaks` turning a report off).
//! 3. Every error must match a `//~ ERROR: <substring>` (or `//~ ERROR: /<regex>/`) annotation on the line of
//!    its primary span, and every annotation must match an error. `//@error-in-other-file: <substring>`
//!    matches an error whose span is not in the program.
//! 4. The rendered diagnostics (stderr), after normalization, must equal `<name>.stderr`, and the program's
//!    stdout must equal `<name>.stdout` (a missing file means "empty").
//!
//! Normalization of stderr: paths of the standard library sources become `$RUSTLIB/...` with line and column
//! `LL:CC` (the toolchain moves them); the workspace root becomes `$DIR`, a Vigil sysroot `$SYSROOT`;
//! allocation ids `alloc123` become `ALLOC`; borrow tags `<123>` become `<TAG>`; hexadecimal numbers of 3 or more digits (addresses) `$HEX`;
//! thread ids `TID`. Line numbers in the program itself are kept.
//!
//! Other headers (see the ui_test README): `//@compile-flags: -Zvigil-...` (appended to the command line),
//! `//@rustc-env: NAME=value`, `//@normalize-stderr-test: "REGEX" -> "REPLACEMENT"`, `//@revisions: a b`.
//!
//! Selection and blessing:
//! ```text
//! cargo test -p vigil-driver --test ui_fail                      # all programs
//! cargo test -p vigil-driver --test ui_fail -- oob_ uaf_         # paths containing `oob_` or `uaf_`
//! VIGIL_TEST_FILTER=dealloc cargo test -p vigil-driver --test ui_fail
//! VIGIL_BLESS=1 cargo test -p vigil-driver --test ui_fail -- oob_   # (or `-- --bless oob_`) rewrite .stderr/.stdout
//! ```
//! Blessing writes what Vigil prints now: look at the diff before committing it.
//!
//! Known failures: `tests/ui/fail/KNOWN_FAILURES` lists `name: reason` lines (`#` comments) for programs whose
//! UB Vigil does not report correctly yet. They still run, silently, and do not fail the suite; they are never
//! blessed. When one starts to report its UB as annotated, the summary says so: remove it from the list, then
//! bless it. A listed program that passes fails the suite, so the list stays true.
//!
//! Other knobs: VIGIL_TEST_JOBS (programs run in parallel, default 2; `--test-threads` works too), VIGIL_TEST_FLAGS (extra `vigil run`
//! flags, whitespace-separated), VIGIL_TEST_VIGIL (another vigil binary), `-- --quiet`, `-- --list`,
//! `-- --skip NAME`, `-- --exact`.
//!
//! The last line printed is `N passed, N failed`; the exit code is non-zero if any program failed.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ui_test::spanned::Spanned;
use ui_test::status_emitter::{RevisionStyle, StatusEmitter, Summary, TestStatus};
use ui_test::test_result::{Errored, TestOk, TestResult};
use ui_test::{Args, CommandBuilder, Config, Error, Match, Pattern};

/// Where the programs live, relative to the workspace root.
const FAIL_DIR: &str = "tests/ui/fail";
const BLESS_COMMAND: &str = "VIGIL_BLESS=1 cargo test -p vigil-driver --test ui_fail -- <filter>";

fn main() -> ExitCode {
    let root = workspace_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter the workspace root {}: {e}", root.display());
        println!("0 passed, 1 failed");
        return ExitCode::FAILURE;
    }
    let mut args = match Args::test() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            println!("0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    args.bless |= std::env::var_os("VIGIL_BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    if let Some(f) = std::env::var("VIGIL_TEST_FILTER").ok().filter(|f| !f.is_empty()) {
        args.filters.push(f);
    }
    // Like ui_pass: 2 programs at a time unless VIGIL_TEST_JOBS, `--test-threads` or RUST_TEST_THREADS says.
    let jobs = std::env::var("VIGIL_TEST_JOBS").ok().and_then(|j| j.parse().ok()).and_then(NonZeroUsize::new);
    if jobs.is_some() || (args.threads.is_none() && std::env::var_os("RUST_TEST_THREADS").is_none()) {
        args.threads = jobs.or(NonZeroUsize::new(2));
    }

    let config = config(&root, &args);
    if !args.list {
        println!("ui/fail programs in {FAIL_DIR}\n  vigil: {}{}", config.program.display(), if args.bless { "\n  blessing" } else { "" });
        if !config.program.program.exists() {
            println!("  warning: the vigil binary does not exist; every program will fail");
        }
    }

    let known = known_failures();
    let records = Arc::new(Mutex::new(Vec::new()));
    let emitter = Tracker { inner: Box::<dyn StatusEmitter>::from(args.format), known, records: records.clone() };
    let outcome = ui_test::run_tests_generic(
        vec![config],
        ui_test::default_file_filter,
        |config: &mut Config, contents: &Spanned<Vec<u8>>| {
            // Known failures are checked, never blessed: their output is wrong by definition.
            if known_failures().contains_key(&test_name(&contents.span.file)) {
                config.output_conflict_handling = ui_test::error_on_output_conflict;
            }
        },
        emitter,
    );
    if args.list {
        return ExitCode::SUCCESS;
    }

    let records = std::mem::take(&mut *records.lock().unwrap());
    let mut passed = 0;
    let mut failed = Vec::new();
    let mut known_failed = Vec::new();
    for r in &records {
        let reason = known.get(&r.name).or_else(|| known.get(r.name.split('#').next().unwrap_or_default()));
        match (&r.outcome, r.known.then_some(reason).flatten()) {
            (Outcome::Ok | Outcome::Ignored, None) => passed += 1,
            (Outcome::Failed(_), None) => failed.push(format!("{} (see above)", r.name)),
            (Outcome::Ok, Some(_)) => failed.push(format!("{}: passes now: remove it from {FAIL_DIR}/KNOWN_FAILURES", r.name)),
            (Outcome::Ignored, Some(_)) => passed += 1,
            (Outcome::Failed(why), Some(reason)) => known_failed.push((r.name.clone(), reason.clone(), why.clone())),
        }
    }
    if let Err(e) = &outcome {
        // ui_test reports "tests failed" for any failure, known ones included; anything else is a real error.
        if e.to_string() != "tests failed" {
            failed.push(format!("ui_test: {e:?}"));
        }
    }
    if !known_failed.is_empty() {
        known_failed.sort();
        println!("known failures ({FAIL_DIR}/KNOWN_FAILURES):");
        for (name, reason, why) in &known_failed {
            println!("    {name}: {reason}\n        now: {why}");
        }
        let detected: Vec<_> = known_failed.iter().filter(|k| k.2.starts_with(DETECTED)).map(|k| k.0.as_str()).collect();
        if !detected.is_empty() {
            println!(
                "  {} of them report their UB as annotated now; remove them from KNOWN_FAILURES, then bless and review:\n    {}",
                detected.len(),
                detected.join(" ")
            );
        }
    }
    if !failed.is_empty() {
        println!("failures:");
        for f in &failed {
            println!("    {f}");
        }
    }
    println!("\n{passed} passed, {} failed, {} known failures ({FAIL_DIR}/KNOWN_FAILURES)", failed.len(), known_failed.len());
    println!("{passed} passed, {} failed", failed.len());
    if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The ui_test configuration: how Vigil is run and how its stderr is normalized.
fn config(root: &Path, args: &Args) -> Config {
    let vigil = std::env::var_os("VIGIL_TEST_VIGIL").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_vigil")));
    let mut program = CommandBuilder::rustc();
    program.program = vigil;
    program.args = ["run", "--error-format=json", "-Dwarnings", "-Dunused", "-Ainternal_features"].map(Into::into).to_vec();
    program.args.extend(std::env::var("VIGIL_TEST_FLAGS").unwrap_or_default().split_whitespace().map(Into::into));
    // `vigil run` interprets instead of writing files, and has no `--print=cfg`.
    program.out_dir_flag = None;
    program.cfg_flag = None;
    program.envs = vec![("RUST_BACKTRACE".into(), Some("0".into())), ("VIGILFLAGS".into(), None)];

    let host = host_triple();
    let mut config = Config {
        host: Some(host.clone()),
        target: Some(host),
        program,
        bless_command: Some(BLESS_COMMAND.into()),
        out_dir: PathBuf::from(option_env!("CARGO_TARGET_TMPDIR").unwrap_or("target/tmp")).join("ui_fail"),
        ..Config::rustc(FAIL_DIR)
    };
    config.with_args(args);
    // Vigil's reports carry no suggestions; do not try to apply rustc's.
    config.comment_defaults.base().custom.remove("rustfix");
    // Exit code 1 and `//~` annotations required: the defaults of `Config::rustc`, stated here as the contract.
    config.comment_defaults.base().exit_status = Spanned::dummy(1).into();
    config.comment_defaults.base().require_annotations = Spanned::dummy(true).into();

    let root = root.display().to_string();
    config.comment_defaults.base().normalize_stderr.push((Match::Exact(root.into_bytes()), b"$DIR".to_vec()));
    for (pattern, replacement) in [
        // The standard library's sources (rust-src, or remapped `/rustc/<hash>/library/`), then their positions.
        (r"[^ \n`']*/(rust[^/ \n]*|checkout|rustc/[0-9a-f]+)/library/", "$$RUSTLIB/"),
        (r"(\$RUSTLIB/[^ \n:]*\.rs):[0-9]+:[0-9]+(: [0-9]+:[0-9]+)?", "$1:LL:CC"),
        // Vigil's cached sysroot.
        (r"[^ \n`']*/vigil/sysroot/[^/ \n]+", "$$SYSROOT"),
        (r"alloc[0-9]+", "ALLOC"),
        // Borrow tags depend on how many retags std performed before.
        (r"<[0-9]+>", "<TAG>"),
        (r"0x[0-9a-fA-F]+[0-9a-fA-F]{2}", "$$HEX"),
        (r"thread '(?P<name>.*?)' \(\d+\)", "thread '$name' ($$TID)"),
        (r"unnamed-[0-9]+", "unnamed-ID"),
    ] {
        config.stderr_filter(pattern, replacement);
    }
    config
}

/// The workspace root: two levels above this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The host triple, from the toolchain's `rustc -vV` (the `rustc` next to the `cargo` running this test, else
/// `rustc` as rust-toolchain.toml resolves it). `vigil` itself has no `-vV`, which ui_test would otherwise ask.
fn host_triple() -> String {
    let cargo = std::env::var_os("CARGO").map(PathBuf::from).or_else(|| option_env!("CARGO").map(PathBuf::from));
    let rustc = cargo
        .map(|c| c.with_file_name(format!("rustc{}", std::env::consts::EXE_SUFFIX)))
        .filter(|r| r.is_file())
        .unwrap_or_else(|| PathBuf::from("rustc"));
    std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("host: ").map(str::to_string)))
        .unwrap_or_else(|| format!("{}-unknown-{}", std::env::consts::ARCH, std::env::consts::OS))
}

/// `tests/ui/fail/sub/name.rs` -> `sub/name` (the name used in KNOWN_FAILURES).
fn test_name(path: &Path) -> String {
    let rel = path.strip_prefix(FAIL_DIR).unwrap_or(path);
    rel.with_extension("").display().to_string().replace('\\', "/")
}

/// Programs known not to be reported correctly yet: `name: reason` per line, `#` comments.
fn known_failures() -> &'static BTreeMap<String, String> {
    static KNOWN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let text = std::fs::read_to_string(Path::new(FAIL_DIR).join("KNOWN_FAILURES")).unwrap_or_default();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(':').map(|(n, r)| (n.trim().to_string(), r.trim().to_string())))
            .collect()
    })
}

#[derive(Clone, Debug)]
enum Outcome {
    Ok,
    Ignored,
    /// One-line description of what went wrong.
    Failed(String),
}

struct Record {
    /// `name`, or `name#revision`.
    name: String,
    /// Listed in KNOWN_FAILURES.
    known: bool,
    outcome: Outcome,
}

/// Prefix of the description of a failure whose only problem is the expected output.
const DETECTED: &str = "reports the UB as annotated";

/// One line saying what a failed run got wrong, most telling problem first.
fn describe(errors: &[Error]) -> String {
    let mut parts = Vec::new();
    for e in errors {
        parts.push(match e {
            Error::ExitStatus { status, expected, .. } => match status.code() {
                Some(0) if *expected == 1 => "exit code 0: the UB is not reported".to_string(),
                Some(2) => "exit code 2: Vigil rejected the command line (unknown flag?)".to_string(),
                Some(c) => format!("exit code {c}, expected {expected}"),
                None => format!("{status}, expected exit code {expected}"),
            },
            Error::PatternNotFound { pattern, expected_line } => {
                let p = match &pattern.content {
                    Pattern::SubString(s) => format!("`{s}`"),
                    Pattern::Regex(r) => format!("/{r}/"),
                };
                match expected_line {
                    Some(l) => format!("no error matching {p} on line {l}"),
                    None => format!("no error matching {p} outside the program"),
                }
            }
            Error::ErrorsWithoutPattern { msgs, path } => {
                let first = msgs.first().map(|m| m.message.lines().next().unwrap_or("").to_string()).unwrap_or_default();
                match path {
                    Some((_, line)) => format!("unexpected error on line {line}: {first}"),
                    None => format!("unexpected error outside the program: {first}"),
                }
            }
            Error::OutputDiffers { path, expected, .. } => {
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                if expected.is_empty() { format!("{file} not blessed yet") } else { format!("{file} differs") }
            }
            other => format!("{other:?}").lines().next().unwrap_or("").chars().take(160).collect(),
        });
    }
    if !errors.is_empty() && errors.iter().all(|e| matches!(e, Error::OutputDiffers { .. })) {
        return format!("{DETECTED} ({})", parts.join("; "));
    }
    // Wrong verdicts first, output files last.
    let (files, verdicts): (Vec<_>, Vec<_>) = errors.iter().zip(parts).partition(|(e, _)| matches!(e, Error::OutputDiffers { .. }));
    verdicts.into_iter().chain(files).map(|(_, p)| p).collect::<Vec<_>>().join("; ")
}

/// Wraps ui_test's emitter: records every result, and keeps known failures out of ui_test's own report.
struct Tracker {
    inner: Box<dyn StatusEmitter>,
    known: &'static BTreeMap<String, String>,
    records: Arc<Mutex<Vec<Record>>>,
}

impl StatusEmitter for Tracker {
    fn register_test(&self, path: PathBuf) -> Box<dyn TestStatus + 'static> {
        let name = test_name(&path);
        let known = self.known.contains_key(&name);
        Box::new(TrackedStatus {
            inner: self.inner.register_test(path),
            name,
            known,
            known_map: self.known,
            records: self.records.clone(),
            has_revisions: AtomicBool::new(false),
        })
    }

    fn finalize(&self, _failed: usize, succeeded: usize, ignored: usize, filtered: usize, aborted: bool) -> Box<dyn Summary> {
        let records = self.records.lock().unwrap();
        let unexpected = records
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed(_)) != r.known)
            .filter(|r| !matches!(r.outcome, Outcome::Ignored))
            .count();
        let known_failed = records.iter().filter(|r| matches!(r.outcome, Outcome::Failed(_)) && r.known).count();
        let summary = self.inner.finalize(unexpected, succeeded, ignored + known_failed, filtered, aborted);
        Box::new(TrackedSummary { inner: summary, known: self.known })
    }
}

struct TrackedSummary {
    inner: Box<dyn Summary>,
    known: &'static BTreeMap<String, String>,
}

impl Summary for TrackedSummary {
    #[allow(clippy::ptr_arg)] // the trait's signature
    fn test_failure(&mut self, status: &dyn TestStatus, errors: &Vec<Error>) {
        let name = test_name(status.path());
        let listed = self.known.contains_key(&name) || self.known.contains_key(&format!("{name}#{}", status.revision()));
        if !listed {
            self.inner.test_failure(status, errors);
        }
    }
}

struct TrackedStatus {
    inner: Box<dyn TestStatus>,
    name: String,
    known: bool,
    /// KNOWN_FAILURES, which may also list single revisions as `name#revision`.
    known_map: &'static BTreeMap<String, String>,
    records: Arc<Mutex<Vec<Record>>>,
    /// Set when ui_test derived a per-revision status from this one: the file has `//@revisions`, its
    /// revisions report their own results, and this status's final `done(Ok)` only closes the file.
    has_revisions: AtomicBool,
}

impl TestStatus for TrackedStatus {
    fn for_revision(&self, revision: &str, style: RevisionStyle) -> Box<dyn TestStatus> {
        self.has_revisions.store(true, Ordering::Relaxed);
        Box::new(TrackedStatus {
            inner: self.inner.for_revision(revision, style),
            name: self.name.clone(),
            known: self.known || self.known_map.contains_key(&format!("{}#{revision}", self.name)),
            known_map: self.known_map,
            records: self.records.clone(),
            has_revisions: AtomicBool::new(false),
        })
    }

    fn for_path(&self, path: &Path) -> Box<dyn TestStatus> {
        Box::new(TrackedStatus {
            inner: self.inner.for_path(path),
            name: test_name(path),
            known: self.known,
            known_map: self.known_map,
            records: self.records.clone(),
            has_revisions: AtomicBool::new(false),
        })
    }

    fn failed_test<'a>(&'a self, cmd: &'a str, stderr: &'a [u8], stdout: &'a [u8]) -> Box<dyn std::fmt::Debug + 'a> {
        if self.known { Box::new(()) } else { self.inner.failed_test(cmd, stderr, stdout) }
    }

    fn done(&self, result: &TestResult, aborted: bool) {
        if self.has_revisions.load(Ordering::Relaxed) && matches!(result, Ok(TestOk::Ok)) {
            if !self.known {
                self.inner.done(result, aborted);
            }
            return;
        }
        let outcome = match result {
            Ok(TestOk::Ok) => Outcome::Ok,
            Ok(TestOk::Ignored) => Outcome::Ignored,
            Err(Errored { errors, .. }) => Outcome::Failed(describe(errors)),
        };
        if self.known && !aborted {
            let word = match &outcome {
                Outcome::Failed(why) if why.starts_with(DETECTED) => "known failure (reports the UB as annotated now)",
                Outcome::Failed(_) => "known failure",
                Outcome::Ok => "ok (listed in KNOWN_FAILURES: remove it)",
                Outcome::Ignored => "ignored",
            };
            let rev = if self.revision().is_empty() { String::new() } else { format!(" (revision `{}`)", self.revision()) };
            println!("{}{rev} ... {word}", self.path().display());
        } else {
            self.inner.done(result, aborted);
        }
        let name = if self.revision().is_empty() { self.name.clone() } else { format!("{}#{}", self.name, self.revision()) };
        self.records.lock().unwrap().push(Record { name, known: self.known, outcome });
    }

    fn path(&self) -> &Path {
        self.inner.path()
    }

    fn revision(&self) -> &str {
        self.inner.revision()
    }
}
