//! Parallel test runs: the tests of one libtest harness spread over worker processes forked
//! after analysis, so that they share the compiled crate and what rustc computed for it
//! (neither Miri, which runs one test at a time in one process, nor nextest, which starts a
//! process per test, does that).
//!
//! The parent lists the tests in-process (`--list --format terse` with the user's filters, which
//! also warms the compiler's caches the workers inherit), deals them round-robin to the workers,
//! and each worker runs its share serially (`--exact NAME... --test-threads=1`) with its stdout
//! in a pipe. The parent forwards each worker's `test NAME ... RESULT` lines as they come and
//! prints libtest's summary (failures with their output, in list order; the result line) from
//! the workers' own summaries, so the output has libtest's format and the results are those of
//! a serial run. A worker stopped by undefined behavior stops the run, as a serial run would
//! stop there (its report is on stderr).
//!
//! Anything whose output the workers could not reproduce runs serially: `--list`, `--nocapture`,
//! `--show-output`, other `--format`s, shuffling, time reports, `-Z` options, benchmarks.

use std::io::{BufRead, BufReader, Write};
use std::sync::mpsc;

use rustc_middle::ty::TyCtxt;

use crate::fork;
use crate::run::{Options, run_program};

/// How a harness run is split.
pub struct Plan {
    workers: usize,
    /// The harness arguments that select tests (filters, `--skip`, `--exact`, `--ignored`...).
    selection: Vec<String>,
    /// `--ignored` / `--include-ignored`, which the workers need too.
    ignored_mode: Option<String>,
}

/// Whether (and how widely) to run the harness invoked with `argv` in parallel.
pub fn plan(argv: &[String]) -> Option<Plan> {
    let args = &argv[1..];
    let mut selection = Vec::new();
    let mut ignored_mode = None;
    let mut threads: Option<usize> = std::env::var("RUST_TEST_THREADS").ok().and_then(|v| v.parse().ok());
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: usize| args.get(i + 1).cloned();
        match a {
            "--test-threads" => {
                threads = value(i)?.parse().ok();
                i += 1;
            }
            _ if a.starts_with("--test-threads=") => threads = a["--test-threads=".len()..].parse().ok(),
            "--skip" => {
                selection.push(a.to_string());
                selection.push(value(i)?);
                i += 1;
            }
            "--exact" | "--exclude-should-panic" => selection.push(a.to_string()),
            "--ignored" | "--include-ignored" => {
                selection.push(a.to_string());
                ignored_mode = Some(a.to_string());
            }
            "--test" => {}
            "--color" | "--format" => {
                let v = value(i)?;
                if a == "--format" && v != "pretty" {
                    return None;
                }
                i += 1;
            }
            _ if a.starts_with("--color=") => {}
            "--format=pretty" => {}
            // Anything else that is an option changes the output or the order: serial.
            _ if a.starts_with('-') => return None,
            filter => selection.push(filter.to_string()),
        }
        i += 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = threads.unwrap_or(cores).min(cores);
    (workers > 1).then_some(Plan { workers, selection, ignored_mode })
}

/// One worker's stream, as the parent reads it.
enum Event {
    /// A line of the worker's stdout.
    Line(usize, String),
    /// What was left without a newline at the end (a test cut short).
    Partial(String),
    Done,
}

/// What a worker reported at its end.
#[derive(Default)]
struct Summary {
    passed: u64,
    failed: u64,
    ignored: u64,
    measured: u64,
    filtered_out: u64,
    /// Failed tests' captured output blocks, by test name.
    blocks: Vec<(String, Vec<String>)>,
    failed_names: Vec<String>,
    seen_result: bool,
}

/// Runs the harness per `plan`; returns the exit code (libtest's: 101 if a test failed), or
/// `None` if the tests could not be listed (the caller then runs serially).
pub fn run(tcx: TyCtxt<'_>, argv: &[String], opts: &Options, plan: Plan) -> Option<u8> {
    let mut list_argv = vec![argv[0].clone()];
    list_argv.extend(plan.selection.iter().cloned());
    list_argv.extend(["--list".to_string(), "--format".to_string(), "terse".to_string()]);
    let (code, listed) = run_program(tcx, &list_argv, opts, true);
    if code != 0 {
        return None;
    }
    let listed = String::from_utf8_lossy(&listed);
    let mut names = Vec::new();
    for line in listed.lines().filter(|l| !l.is_empty()) {
        match line.rsplit_once(": ") {
            Some((name, "test")) => names.push(name.to_string()),
            // Benchmarks (run once as tests) keep their own output format: serially.
            Some((_, "benchmark")) => return None,
            _ => return None,
        }
    }
    let workers = plan.workers.min(names.len());
    if workers < 2 {
        return None;
    }
    let started = std::time::Instant::now();

    let mut children = Vec::new();
    for w in 0..workers {
        let mine: Vec<String> = names.iter().skip(w).step_by(workers).cloned().collect();
        let mut wargv =
            vec![argv[0].clone(), "--exact".to_string(), "--test-threads=1".to_string(), "--color".to_string(), "never".to_string()];
        wargv.extend(plan.ignored_mode.iter().cloned());
        wargv.extend(mine);
        match fork::spawn(true, || run_program(tcx, &wargv, opts, false).0) {
            Ok(c) => children.push(c),
            Err(e) => {
                eprintln!("error: {e}");
                for c in &children {
                    fork::kill_and_reap(c.pid);
                }
                return Some(2);
            }
        }
    }

    // Readers start only now, after every fork.
    let (tx, rx) = mpsc::channel();
    let mut readers = Vec::new();
    for (w, c) in children.iter_mut().enumerate() {
        let out = c.stdout.take().expect("a piped worker");
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match r.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&buf).into_owned();
                        let ev = match text.strip_suffix('\n') {
                            Some(line) => Event::Line(w, line.to_string()),
                            None => Event::Partial(text),
                        };
                        if tx.send(ev).is_err() {
                            return;
                        }
                    }
                }
            }
            let _ = tx.send(Event::Done);
        }));
    }
    drop(tx);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let noun = if names.len() == 1 { "test" } else { "tests" };
    let _ = write!(out, "\nrunning {} {noun}\n", names.len());
    let _ = out.flush();
    let mut sums: Vec<Summary> = (0..workers).map(|_| Summary::default()).collect();
    // Per worker: where in its output we are (0: tests, 1: failure blocks, 2: failure names).
    let mut phase = vec![0u8; workers];
    let mut done = 0;
    while done < workers {
        let Ok(ev) = rx.recv() else { break };
        match ev {
            Event::Line(w, line) => {
                let s = &mut sums[w];
                if let Some(rest) = line.strip_prefix("test result: ") {
                    parse_result(rest, s);
                    continue;
                }
                match phase[w] {
                    0 if line.starts_with("test ") && line.contains(" ... ") => {
                        let _ = writeln!(out, "{line}");
                        let _ = out.flush();
                    }
                    0 if line == "failures:" => phase[w] = 1,
                    // The worker's own header (blank line, `running N tests`).
                    0 if line.is_empty() || (line.starts_with("running ") && (line.ends_with(" test") || line.ends_with(" tests"))) => {}
                    0 => {
                        // Output that escaped capture (written to the process's stdout).
                        let _ = writeln!(out, "{line}");
                    }
                    1 if line == "failures:" => {
                        // The blank line before it separates the sections; it is printed again.
                        if let Some(b) = s.blocks.last_mut()
                            && b.1.last().is_some_and(|l| l.is_empty())
                        {
                            b.1.pop();
                        }
                        phase[w] = 2;
                    }
                    1 => match line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
                        Some(name) => s.blocks.push((name.to_string(), vec![line.clone()])),
                        None => {
                            if let Some(b) = s.blocks.last_mut() {
                                b.1.push(line);
                            }
                        }
                    },
                    _ => {
                        if let Some(name) = line.strip_prefix("    ") {
                            s.failed_names.push(name.to_string());
                        }
                    }
                }
            }
            Event::Partial(text) => {
                let _ = write!(out, "{text}");
                let _ = out.flush();
            }
            Event::Done => done += 1,
        }
    }
    for r in readers {
        let _ = r.join();
    }
    // Reap the workers; one that stopped without its summary (undefined behavior, an abort, an
    // unsupported operation) ends the run with its exit code, as a serial run would have.
    let mut stopped = None;
    for (w, c) in children.iter().enumerate() {
        let code = fork::wait(c.pid);
        if !sums[w].seen_result && stopped.is_none() {
            stopped = Some(if code == 0 { 1 } else { code });
        }
    }
    if let Some(code) = stopped {
        let _ = writeln!(out);
        return Some(code);
    }

    let total = |f: fn(&Summary) -> u64| sums.iter().map(f).sum::<u64>();
    let (passed, failed, ignored, measured) = (total(|s| s.passed), total(|s| s.failed), total(|s| s.ignored), total(|s| s.measured));
    // Each worker saw every test of the harness: what it did not run was "filtered out".
    let s0 = &sums[0];
    let harness_tests = s0.filtered_out + s0.passed + s0.failed + s0.ignored + s0.measured;
    let filtered_out = harness_tests.saturating_sub(names.len() as u64);
    // libtest reports the wall time of the run.
    let secs = started.elapsed().as_secs_f64();
    if failed > 0 {
        let mut blocks: Vec<(String, Vec<String>)> = sums.iter_mut().flat_map(|s| std::mem::take(&mut s.blocks)).collect();
        let position = |n: &str| names.iter().position(|x| x == n).unwrap_or(usize::MAX);
        blocks.sort_by_key(|b| position(&b.0));
        let _ = write!(out, "\nfailures:\n");
        if !blocks.is_empty() {
            let _ = writeln!(out);
            for (_, lines) in &blocks {
                for l in lines {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
        let _ = write!(out, "\nfailures:\n");
        let mut failed_names: Vec<String> = sums.iter().flat_map(|s| s.failed_names.iter().cloned()).collect();
        failed_names.sort();
        for n in failed_names {
            let _ = writeln!(out, "    {n}");
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = write!(
        out,
        "\ntest result: {verdict}. {passed} passed; {failed} failed; {ignored} ignored; {measured} measured; {filtered_out} filtered out; finished in {secs:.2}s\n\n"
    );
    let _ = out.flush();
    Some(if failed == 0 { 0 } else { 101 })
}

/// `ok. 3 passed; 1 failed; 0 ignored; 0 measured; 5 filtered out; finished in 0.12s`
fn parse_result(rest: &str, s: &mut Summary) {
    s.seen_result = true;
    let body = rest.split_once(". ").map_or(rest, |(_, b)| b);
    for part in body.split("; ") {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else { continue };
        match what {
            "passed" => s.passed = n.parse().unwrap_or(0),
            "failed" => s.failed = n.parse().unwrap_or(0),
            "ignored" => s.ignored = n.parse().unwrap_or(0),
            "measured" => s.measured = n.parse().unwrap_or(0),
            "filtered" => s.filtered_out = n.parse().unwrap_or(0),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        std::iter::once("prog").chain(s.split_whitespace()).map(String::from).collect()
    }

    #[test]
    fn plans() {
        // The machine running the tests may have one core: check the selection only.
        let p = plan(&argv("--test-threads=4 foo --skip bar --exact --include-ignored"));
        if let Some(p) = p {
            assert_eq!(p.selection, ["foo", "--skip", "bar", "--exact", "--include-ignored"]);
            assert_eq!(p.ignored_mode.as_deref(), Some("--include-ignored"));
        }
        assert!(plan(&argv("--test-threads=1")).is_none());
        assert!(plan(&argv("--nocapture")).is_none());
        assert!(plan(&argv("--list")).is_none());
        assert!(plan(&argv("--format json")).is_none());
        assert!(plan(&argv("--show-output")).is_none());
    }

    #[test]
    fn result_lines() {
        let mut s = Summary::default();
        parse_result("FAILED. 3 passed; 1 failed; 2 ignored; 0 measured; 5 filtered out; finished in 1.25s", &mut s);
        assert_eq!((s.passed, s.failed, s.ignored, s.measured, s.filtered_out), (3, 1, 2, 0, 5));
    }
}
