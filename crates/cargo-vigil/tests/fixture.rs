//! `cargo vigil test`, `run` and `nextest run` on the fixture workspace in
//! `tests/fixtures/workspace` (no dependency outside it, so no network): a library with a
//! build script, a proc-macro dependency, unit tests, integration tests, doctests, an example,
//! a benchmark target and a binary. The tests check what users see: libtest's lines, the
//! summaries, the exit codes, and the UB report.
//!
//! The workspace is copied once into a temporary directory and every test runs cargo there
//! (cargo's build lock orders concurrent builds), with the real driver.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

mod common;
use common::{copy_dir, show};

fn fixture_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace")
}

/// The workspace's copy, made once per test run.
fn workspace() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_source(), dir.path(), &["target", "Cargo.lock"]);
        dir
    })
    .path()
}

/// `cargo vigil <args>` in the workspace.
fn cargo_vigil(args: &[&str]) -> Output {
    cargo_vigil_in(workspace(), args)
}

fn cargo_vigil_in(dir: &Path, args: &[&str]) -> Output {
    common::cargo_vigil_command(dir, args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_contains(out: &Output, text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "expected `{n}` in the output:\n{}", show(out));
    }
}

/// libtest's per-test lines, sorted (parallel runs print them in completion order).
fn test_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().filter(|l| l.starts_with("test ") && l.contains(" ... ")).map(String::from).collect();
    lines.sort();
    lines
}

/// The summary line without its time.
fn result_line(text: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("test result: ")).unwrap_or("");
    line.split("; finished in").next().unwrap().to_owned()
}

#[test]
fn unit_tests_of_a_library() {
    let out = cargo_vigil(&["test", "-p", "ledger", "--lib"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = stdout(&out);
    assert_contains(
        &out,
        &text,
        &[
            "test tests::records_and_sums ... ok",
            // libtest spawns a thread per test; this one spawns two more.
            "test tests::sums_on_threads ... ok",
            "test tests::last_of_an_empty_ledger_panics - should panic ... ok",
            "test tests::returns_ok ... ok",
            "test tests::too_slow_for_an_interpreter ... ignored",
            "test tests::runs_under_cfg_miri ... ok",
            // The proc macro (a dependency, built natively) and the build script did their part.
            "test tests::derive_names_the_type ... ok",
            "test tests::build_script_ran ... ok",
        ],
    );
    assert_eq!(result_line(&text), "test result: ok. 7 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out", "{}", show(&out));
}

/// The output with libtest's run time blanked, and the thread ids of panic messages.
fn normalized(text: &str) -> String {
    let time = blank_after(text, "finished in ", 's');
    blank_after(&time, "' (", ')')
}

/// Replaces what follows each `marker` up to `end` (included) by `_`.
fn blank_after(text: &str, marker: &str, end: char) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        match rest.find(end) {
            Some(j) if j < 24 => {
                out.push('_');
                out.push(end);
                rest = &rest[j + 1..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn parallel_and_serial_runs_agree() {
    // The same output, line for line: parallel runs print in the list's order, also in libtest's
    // terse format (`cargo test -q`).
    for (quiet, target) in
        [(false, &["--lib"][..]), (false, &["--test", "failing"][..]), (true, &["--lib"][..]), (true, &["--test", "failing"][..])]
    {
        let mut serial_args = vec!["test", "-p", "ledger"];
        if quiet {
            serial_args.push("-q");
        }
        serial_args.extend(target);
        let mut parallel_args = serial_args.clone();
        serial_args.extend(["--", "--test-threads=1"]);
        parallel_args.extend(["--", "--test-threads=3"]);
        let serial = cargo_vigil(&serial_args);
        let parallel = cargo_vigil(&parallel_args);
        assert_eq!(serial.status.code(), parallel.status.code(), "{}\n{}", show(&serial), show(&parallel));
        assert_eq!(normalized(&stdout(&serial)), normalized(&stdout(&parallel)), "{}\n{}", show(&serial), show(&parallel));
    }
}

#[test]
fn features_select_tests() {
    let out = cargo_vigil(&["test", "-p", "ledger", "--lib", "--features", "audit", "--", "audit"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = stdout(&out);
    assert_contains(&out, &text, &["test tests::audit_feature_is_on ... ok"]);
    assert_eq!(result_line(&text), "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 8 filtered out", "{}", show(&out));
}

#[test]
fn failing_tests_fail_the_run_with_libtest_output() {
    for threads in ["--test-threads=1", "--test-threads=2"] {
        let out = cargo_vigil(&["test", "-p", "ledger", "--test", "failing", "--", threads]);
        assert_eq!(out.status.code(), Some(101), "{}", show(&out));
        let text = stdout(&out);
        assert_contains(
            &out,
            &text,
            &[
                "test passes ... ok",
                "test panics_with_a_message ... FAILED",
                "test returns_an_error ... FAILED",
                "---- panics_with_a_message stdout ----",
                "the balance should be one",
                "---- returns_an_error stdout ----\nError: \"the ledger could not be opened\"",
                "failures:\n    panics_with_a_message\n    returns_an_error\n",
            ],
        );
        assert_eq!(result_line(&text), "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out", "{}", show(&out));
        assert_contains(&out, &stderr(&out), &["error: test failed, to rerun pass `-p ledger --test failing`"]);
    }
}

#[test]
fn undefined_behavior_is_reported_and_fails_the_run() {
    let mut stdouts = Vec::new();
    for threads in ["--test-threads=1", "--test-threads=2"] {
        let out = cargo_vigil(&["test", "-p", "ledger", "--test", "ub", "--", threads]);
        // Cargo passes on the exit code of a test process that did not end as libtest ends.
        assert_eq!(out.status.code(), Some(1), "{}", show(&out));
        let err = stderr(&out);
        assert_contains(
            &out,
            &err,
            &[
                "error: Undefined Behavior: memory access failed",
                // The workspace's crates are the user's: the report points into the library.
                "--> ledger/src/lib.rs:65:",
                "inside `ledger::Ledger::entry_unchecked` at ledger/src/lib.rs:65:",
                "inside `reads_past_the_end` at ledger/tests/ub.rs:15:",
                "this is on thread `reads_past_the_`",
                "error: aborting due to 1 previous error",
                "process didn't exit successfully",
            ],
        );
        // The short backtrace ends at the test, as Miri's does.
        assert!(!err.contains("inside `test::"), "{}", show(&out));
        assert_contains(&out, &stdout(&out), &["test in_bounds ... ok\ntest reads_past_the_end ... "]);
        stdouts.push(stdout(&out));
    }
    // The test before the one with UB ran and was reported, as in a serial run.
    assert_eq!(stdouts[0], stdouts[1]);
}

#[test]
fn filters_exact_skip_and_list() {
    let out = cargo_vigil(&["test", "-p", "ledger", "--test", "integration", "--", "balance_after_two"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(test_lines(&stdout(&out)), ["test balance_after_two ... ok", "test balance_after_two_more ... ok"], "{}", show(&out));
    assert_eq!(result_line(&stdout(&out)), "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out");

    let out = cargo_vigil(&["test", "-p", "ledger", "--test", "integration", "--", "balance_after_two", "--exact"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(test_lines(&stdout(&out)), ["test balance_after_two ... ok"], "{}", show(&out));
    assert_eq!(result_line(&stdout(&out)), "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out");

    let out = cargo_vigil(&["test", "-p", "ledger", "--test", "integration", "--", "--skip", "more"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(test_lines(&stdout(&out)), ["test balance_after_two ... ok", "test empty_is_zero ... ok"], "{}", show(&out));

    let out = cargo_vigil(&["test", "-p", "ledger", "--test", "integration", "--", "--list"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_contains(&out, &stdout(&out), &["balance_after_two: test\n", "empty_is_zero: test\n", "3 tests, 0 benchmarks"]);

    // Ignored tests, on request.
    let out = cargo_vigil(&["test", "-p", "ledger", "--lib", "--", "--ignored"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(test_lines(&stdout(&out)), ["test tests::too_slow_for_an_interpreter ... ok"], "{}", show(&out));
}

#[test]
fn doctests_run_under_vigil() {
    // rustdoc reads `ledger`'s dependencies (`ledger-units`, a library compiled metadata-only)
    // to find and build its doctests.
    let out = cargo_vigil(&["test", "-p", "ledger", "-p", "ledger-units", "--doc"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = stdout(&out);
    assert_contains(
        &out,
        &text,
        &[
            "test ledger/src/lib.rs - Ledger::record (line 14) ... ok",
            "test ledger/src/lib.rs - Ledger::last (line 43) ... ok",
            "- compile fail ... ok",
            "- compile ... ok",
            "... ignored",
            "test ledger-units/src/lib.rs - cents (line 9) ... ok",
        ],
    );
    assert!(text.contains("test result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out"), "{}", show(&out));
}

#[test]
fn proc_macro_tests_run_natively() {
    let out = cargo_vigil(&["test", "-p", "ledger-derive"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = stdout(&out);
    // `runs_natively` asserts that `cfg(miri)` is not set.
    assert_contains(
        &out,
        &text,
        &["test tests::finds_the_name ... ok", "test tests::runs_natively ... ok", "ledger-derive/src/lib.rs - (line 3) ... ok"],
    );
    assert_contains(&out, &stderr(&out), &["running them natively"]);
}

#[test]
fn binaries_examples_and_benches_as_tests() {
    let out = cargo_vigil(&["test", "--workspace", "--bins", "--examples", "--benches"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_contains(
        &out,
        &stdout(&out),
        &["test the_binary_has_tests_too ... ok", "test example_has_a_test ... ok", "test records_many ... ok"],
    );

    let out = cargo_vigil(&["run", "-p", "ledger-cli", "--", "3", "4"]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(stdout(&out), "2 entries, balance 7\n", "{}", show(&out));
}

#[test]
fn release_manifest_path_and_target_dir() {
    let target = tempfile::tempdir().unwrap();
    let manifest = workspace().join("ledger/Cargo.toml");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = cargo_vigil_in(
        elsewhere.path(),
        &[
            "test",
            "--release",
            "--manifest-path",
            manifest.to_str().unwrap(),
            "--target-dir",
            target.path().to_str().unwrap(),
            "--lib",
            "--",
            "records",
        ],
    );
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(test_lines(&stdout(&out)), ["test tests::records_and_sums ... ok"], "{}", show(&out));
    assert!(target.path().join("vigil").is_dir(), "nothing built in the given target directory");
}

#[test]
fn nextest_runs_and_partitions() {
    let out = cargo_vigil(&["nextest", "run", "-p", "ledger", "--lib"]);
    assert!(out.status.success(), "{}", show(&out));
    let err = stderr(&out);
    assert_contains(&out, &err, &["PASS", "ledger tests::sums_on_threads", "7 tests run: 7 passed, 1 skipped"]);

    // Two partitions share the tests between them.
    let mut seen = Vec::new();
    for part in ["count:1/2", "count:2/2", "hash:1/2", "hash:2/2"] {
        let out = cargo_vigil(&["nextest", "run", "-p", "ledger", "--lib", "--partition", part]);
        assert!(out.status.success(), "{}", show(&out));
        for line in stderr(&out).lines().filter(|l| l.trim_start().starts_with("PASS")) {
            seen.push((part.split(':').next().unwrap().to_owned(), line.rsplit(' ').next().unwrap().to_owned()));
        }
    }
    for scheme in ["count", "hash"] {
        let mut names: Vec<&str> = seen.iter().filter(|(s, _)| s == scheme).map(|(_, n)| n.as_str()).collect();
        names.sort();
        assert_eq!(names.len(), 7, "{scheme} partitions ran {names:?}");
        names.dedup();
        assert_eq!(names.len(), 7, "{scheme} partitions overlap");
    }

    // UB fails the test that has it.
    let out = cargo_vigil(&["nextest", "run", "-p", "ledger", "--test", "ub", "--no-fail-fast"]);
    assert!(!out.status.success(), "{}", show(&out));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_contains(&out, &text, &["FAIL", "reads_past_the_end", "error: Undefined Behavior: memory access failed", "PASS", "in_bounds"]);
}
