//! Parallel test runs: the tests of one libtest harness spread over processes forked after
//! analysis, so that they share the compiled crate and what rustc computed for it (Miri runs
//! one test at a time in one process; nextest starts a process, and a compilation, per test).
//!
//! The parent lists the tests in-process (`--list --format terse` with the user's filters),
//! lowers again what the listing ran in a machine that has not started, and hands the tests
//! out in batches: a process forked from that machine runs each batch serially (`--exact
//! NAME... --test-threads=1`), as many at a time as there are workers. Batches shrink as the
//! list drains so the workers finish together, but stay large enough to pay for a process's
//! start (measured by the listing run). The parent multiplexes the processes' stdout and
//! stderr with `poll`. The oldest batch's output goes out as it comes; later batches hold
//! theirs until they are the oldest, so the output is in the list's order, line for line a
//! serial run's: the `test NAME ... RESULT` lines, then libtest's summary (failures with their
//! output, the result line) built from the batches' own. A batch stopped by undefined behavior
//! stops the run when its turn comes: the tests before it in the list have run and been
//! reported, its report follows its test's name, the tests after it do not count.
//!
//! Anything whose output the batches could not reproduce runs serially: `--list`, `--nocapture`,
//! `--show-output`, other `--format`s, shuffling, time reports, `-Z` options, benchmarks.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use rustc_middle::ty::TyCtxt;

use crate::fork;
use rustc_middle::ty::Instance;

use crate::run::{self, Options};

/// How a harness run is split.
pub struct Plan {
    workers: usize,
    /// The harness arguments that select tests (filters, `--skip`, `--exact`, `--ignored`...).
    selection: Vec<String>,
    /// `--ignored` / `--include-ignored`, which the workers need too.
    ignored_mode: Option<String>,
    /// `-q`/`--quiet`/`--format terse`: the batches' result lines become libtest's terse
    /// marks (one character per test) as they go out.
    terse: bool,
}

/// Whether (and how widely) to run the harness invoked with `argv` in parallel.
pub fn plan(argv: &[String]) -> Option<Plan> {
    let args = &argv[1..];
    let mut selection = Vec::new();
    let mut ignored_mode = None;
    let mut terse = false;
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
                if a == "--format" {
                    match v.as_str() {
                        "pretty" => terse = false,
                        "terse" => terse = true,
                        _ => return None,
                    }
                }
                i += 1;
            }
            _ if a.starts_with("--color=") => {}
            "--format=pretty" => terse = false,
            "--format=terse" | "-q" | "--quiet" => terse = true,
            // Anything else that is an option changes the output or the order: serial.
            _ if a.starts_with('-') => return None,
            filter => selection.push(filter.to_string()),
        }
        i += 1;
    }
    // As libtest: `--test-threads` (or RUST_TEST_THREADS) as given, else one per core.
    let workers = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    (workers > 1).then_some(Plan { workers, selection, ignored_mode, terse })
}

/// What the parent learned from one batch's process.
#[derive(Default)]
struct Outcome {
    passed: u64,
    failed: u64,
    ignored: u64,
    measured: u64,
    filtered_out: u64,
    /// Failed tests' captured output (`---- NAME stdout ----` and what follows), by name.
    blocks: Vec<(String, Vec<String>)>,
    failed_names: Vec<String>,
    seen_result: bool,
}

/// A batch: its process, what has been read of its output, and what it reported.
struct Slot {
    child: fork::Child,
    started: Instant,
    tests: usize,
    /// Bytes of its stdout read that do not end a line yet.
    pending: Vec<u8>,
    /// How many of those were printed already (before its stderr output).
    pending_shown: usize,
    /// Bytes of its stderr that do not end a line yet.
    pending_err: Vec<u8>,
    /// Which of its streams are at their end (stdout, stderr).
    closed: [bool; 2],
    /// Where in libtest's output the process is.
    phase: Phase,
    outcome: Outcome,
    /// Whether its output goes out as it comes: it is the oldest batch whose output is not all
    /// out yet. The others hold theirs until then, so the output is in the list's order, as
    /// a serial run prints it.
    front: bool,
    held: Vec<(Stream, Vec<u8>)>,
    /// The process's exit code, once it has ended.
    exit: Option<u8>,
}

#[derive(Clone, Copy, PartialEq)]
enum Stream {
    Out,
    Err,
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    /// Header and the tests' result lines.
    Tests,
    /// The first `failures:` section: captured output.
    Blocks,
    /// The second `failures:` section: names.
    Names,
}

impl Slot {
    /// A batch of `tests` tests just started in `child`.
    fn new(child: fork::Child, tests: usize, front: bool) -> Slot {
        Slot {
            child,
            started: Instant::now(),
            tests,
            pending: Vec::new(),
            pending_shown: 0,
            pending_err: Vec::new(),
            closed: [false; 2],
            phase: Phase::Tests,
            outcome: Outcome::default(),
            front,
            held: Vec::new(),
            exit: None,
        }
    }

    /// Prints `bytes` on `stream` now if this batch is the front one, else later.
    fn emit(&mut self, stream: Stream, bytes: &[u8], out: &mut impl Write) {
        if bytes.is_empty() {
            return;
        }
        if !self.front {
            self.held.push((stream, bytes.to_vec()));
            return;
        }
        match stream {
            Stream::Out => {
                let _ = out.write_all(bytes);
            }
            Stream::Err => {
                let _ = out.flush();
                let _ = std::io::stderr().write_all(bytes);
            }
        }
    }

    /// Makes this batch the front one: what it held goes out.
    fn release(&mut self, out: &mut impl Write) {
        self.front = true;
        for (stream, bytes) in std::mem::take(&mut self.held) {
            self.emit(stream, &bytes, out);
        }
    }

    /// Reads what the process wrote to stdout and emits the complete lines there are.
    fn read_stdout(&mut self, out: &mut impl Write) {
        let mut chunk = [0u8; 8192];
        let n = self.child.stdout.as_mut().map_or(Ok(0), |f| f.read(&mut chunk)).unwrap_or(0);
        if n == 0 {
            self.closed[0] = true;
        }
        self.pending.extend_from_slice(&chunk[..n]);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let shown = std::mem::take(&mut self.pending_shown).min(end);
            if shown > 0 {
                // The start of the line went out before the process's stderr output: the rest.
                self.emit(Stream::Out, &line[shown..], out);
            } else if let Some(text) = self.line(String::from_utf8_lossy(&line[..end]).into_owned()) {
                self.emit(Stream::Out, format!("{text}\n").as_bytes(), out);
            }
        }
    }

    /// Reads what the process wrote to stderr and emits the complete lines, after what it had
    /// written to stdout (a test's name comes before the report of what it did).
    fn read_stderr(&mut self, out: &mut impl Write) {
        let mut chunk = [0u8; 8192];
        let n = self.child.stderr.as_mut().map_or(Ok(0), |f| f.read(&mut chunk)).unwrap_or(0);
        if n == 0 {
            self.closed[1] = true;
            return;
        }
        self.pending_err.extend_from_slice(&chunk[..n]);
        if let Some(end) = self.pending_err.iter().rposition(|&b| b == b'\n') {
            let partial = self.pending[self.pending_shown..].to_vec();
            self.pending_shown = self.pending.len();
            self.emit(Stream::Out, &partial, out);
            let lines: Vec<u8> = self.pending_err.drain(..=end).collect();
            self.emit(Stream::Err, &lines, out);
        }
    }

    /// The process has ended with `code`: what is left of its output goes out (a test cut
    /// short leaves its `test NAME ... ` without a result).
    fn finish(&mut self, code: u8, out: &mut impl Write) {
        self.exit = Some(code);
        let rest = std::mem::take(&mut self.pending_err);
        self.emit(Stream::Err, &rest, out);
        let mut partial = self.pending[self.pending_shown..].to_vec();
        if !self.outcome.seen_result && !partial.is_empty() {
            partial.push(b'\n');
            self.emit(Stream::Out, &partial, out);
        }
    }

    /// Takes one complete line of the process's stdout; returns what to print now.
    fn line(&mut self, line: String) -> Option<String> {
        let o = &mut self.outcome;
        if let Some(rest) = line.strip_prefix("test result: ") {
            parse_result(rest, o);
            return None;
        }
        match self.phase {
            Phase::Tests if line.starts_with("test ") && line.contains(" ... ") => Some(line),
            Phase::Tests if line == "failures:" => {
                self.phase = Phase::Blocks;
                None
            }
            // The process's own header (blank line, `running N tests`).
            Phase::Tests if line.is_empty() || (line.starts_with("running ") && (line.ends_with(" test") || line.ends_with(" tests"))) => {
                None
            }
            // Output that escaped capture (written to the process's stdout).
            Phase::Tests => Some(line),
            Phase::Blocks if line == "failures:" => {
                // The blank line before it separates the sections; it is printed again.
                if let Some(b) = o.blocks.last_mut()
                    && b.1.last().is_some_and(|l| l.is_empty())
                {
                    b.1.pop();
                }
                self.phase = Phase::Names;
                None
            }
            Phase::Blocks => {
                match line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
                    Some(name) => o.blocks.push((name.to_string(), vec![line.clone()])),
                    None => {
                        if let Some(b) = o.blocks.last_mut() {
                            b.1.push(line);
                        }
                    }
                }
                None
            }
            Phase::Names => {
                if let Some(name) = line.strip_prefix("    ") {
                    o.failed_names.push(name.to_string());
                }
                None
            }
        }
    }
}

/// Stops the batches whose processes still run.
fn kill_running(slots: &VecDeque<Slot>) {
    for s in slots.iter().filter(|s| s.exit.is_none()) {
        fork::kill_and_reap(s.child.pid);
    }
}

/// Whether a pipe has data to read right now.
fn ready_now(file: Option<&std::fs::File>) -> bool {
    let Some(f) = file else { return false };
    let mut fd = PollFd { fd: f.as_raw_fd(), events: POLLIN, revents: 0 };
    // SAFETY: one valid entry.
    unsafe { poll(&mut fd, 1, 0) > 0 }
}

/// How many tests the next batch gets: a share of what is left that shrinks as the list
/// drains (so the last batches are small and the workers finish together), but never so few
/// that starting the process would cost more than running its tests.
fn batch_size(remaining: usize, workers: usize, startup: Duration, per_test: Option<Duration>) -> usize {
    let share = remaining.div_ceil(2 * workers);
    let worth_a_process = match per_test {
        Some(t) if !t.is_zero() => (startup.as_secs_f64() / t.as_secs_f64()).ceil() as usize,
        _ => 1,
    };
    share.max(worth_a_process).clamp(1, remaining)
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

unsafe extern "C" {
    fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
}

const POLLIN: i16 = 0x1;

/// Runs the harness per `plan`; returns the exit code (libtest's: 101 if a test failed), or
/// `None` if the tests could not be listed (the caller then runs serially).
pub fn run(tcx: TyCtxt<'_>, argv: &[String], opts: &Options, plan: Plan) -> Option<u8> {
    let listing = Instant::now();
    let mut list_argv = vec![argv[0].clone()];
    list_argv.extend(plan.selection.iter().cloned());
    list_argv.extend(["--list".to_string(), "--format".to_string(), "terse".to_string()]);
    let cold = run::new_lowerer(tcx, opts);
    let mut lister = run::prepare(tcx, &cold, &list_argv, opts, true).ok()?;
    if lister.execute(tcx, &cold, opts) != 0 {
        return None;
    }
    let listed = std::mem::take(&mut lister.machine.os.captured);
    // What the listing ran (the runtime's start, libtest's) every batch runs too: lowered
    // once more here, in a machine that has not started, which every batch is forked from.
    let warm: Vec<Instance<'_>> = lister.machine.lowered_fns().map(|f| cold.0.borrow().instance(f)).collect();
    drop(lister);
    let listing = listing.elapsed();
    let lowering = Instant::now();
    let lowerer = run::new_lowerer(tcx, opts);
    let mut ready = run::prepare(tcx, &lowerer, &argv[..1], opts, false).ok()?;
    ready.prelower(&lowerer, &warm);
    // Starting a batch costs what the listing did, less its lowering.
    let startup = listing.saturating_sub(lowering.elapsed()).max(Duration::from_millis(1));
    let listed = String::from_utf8_lossy(&listed);
    let mut names = Vec::new();
    for line in listed.lines().filter(|l| !l.is_empty()) {
        match line.rsplit_once(": ") {
            Some((name, "test")) => names.push(name.to_string()),
            // Benchmarks (run once as tests) keep their own output format: serially.
            _ => return None,
        }
    }
    let workers = plan.workers.min(names.len());
    if workers < 2 {
        return None;
    }
    let started = Instant::now();

    let mut out = Out::new(plan.terse, names.len());
    let noun = if names.len() == 1 { "test" } else { "tests" };
    let _ = write!(out, "\nrunning {} {noun}\n", names.len());
    let _ = out.flush();

    let mut outcomes: Vec<Outcome> = Vec::new();
    // Batches in the list's order; the first is the front one. A batch stays until its output
    // is all out, even after its process ended.
    let mut slots: VecDeque<Slot> = VecDeque::new();
    let mut next = 0;
    // Time spent in finished batches beyond their start, and their tests: the cost of a test.
    let (mut busy, mut ran) = (Duration::ZERO, 0u32);
    // The first abnormal exit of a process that did report its results (a leak found at the
    // end of the program, say): the run goes on, as a serial run would, and ends with it.
    let mut late_error: Option<u8> = None;
    // Once a batch stopped early, the tests after it in the list would not run serially.
    let mut stopping = false;
    loop {
        while !stopping && slots.iter().filter(|s| s.exit.is_none()).count() < workers && next < names.len() {
            let per_test = (ran > 0).then(|| busy / ran);
            let n = batch_size(names.len() - next, workers, startup, per_test);
            let mut bargv =
                vec![argv[0].clone(), "--exact".to_string(), "--test-threads=1".to_string(), "--color".to_string(), "never".to_string()];
            bargv.extend(plan.ignored_mode.iter().cloned());
            bargv.extend(names[next..next + n].iter().cloned());
            let spawned = fork::spawn(true, || {
                ready.machine.set_program_args(bargv);
                let code = ready.execute(tcx, &lowerer, opts);
                run::end_of_forked_run(tcx);
                code
            });
            match spawned {
                Ok(child) => {
                    let front = slots.is_empty();
                    slots.push_back(Slot::new(child, n, front));
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    kill_running(&slots);
                    return Some(2);
                }
            }
            next += n;
        }
        if slots.is_empty() {
            break;
        }
        let running: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].exit.is_none()).collect();
        if !running.is_empty() {
            let mut fds: Vec<PollFd> = Vec::new();
            for &i in &running {
                let s = &slots[i];
                for (file, closed) in [(&s.child.stdout, s.closed[0]), (&s.child.stderr, s.closed[1])] {
                    let fd = file.as_ref().filter(|_| !closed).map_or(-1, |f| f.as_raw_fd());
                    fds.push(PollFd { fd, events: POLLIN, revents: 0 });
                }
            }
            // SAFETY: `fds` is a valid array of `fds.len()` entries.
            if unsafe { poll(fds.as_mut_ptr(), fds.len() as u64, -1) } < 0 {
                continue; // interrupted
            }
            for (k, &i) in running.iter().enumerate() {
                let slot = &mut slots[i];
                let (out_ready, err_ready) = (fds[2 * k].revents != 0, fds[2 * k + 1].revents != 0);
                // What a process wrote to stdout before its stderr output is already in the
                // pipe: read it first.
                if out_ready || (err_ready && ready_now(slot.child.stdout.as_ref())) {
                    slot.read_stdout(&mut out);
                }
                if err_ready {
                    slot.read_stderr(&mut out);
                }
                if slot.closed == [true, true] {
                    let code = fork::wait(slot.child.pid);
                    slot.finish(code, &mut out);
                    busy += slot.started.elapsed().saturating_sub(startup);
                    ran += slot.tests as u32;
                    stopping |= !slot.outcome.seen_result;
                }
            }
            let _ = out.flush();
        }
        // Batches whose output is all out leave; the next one's held output follows.
        while slots.front().is_some_and(|s| s.exit.is_some()) {
            let slot = slots.pop_front().expect("a front batch");
            let code = slot.exit.unwrap_or(0);
            if !slot.outcome.seen_result {
                // Stopped before its results (undefined behavior, an abort, an unsupported
                // operation; the report is out): the run stops here, as a serial run would.
                let _ = out.flush();
                kill_running(&slots);
                return Some(if code == 0 { 1 } else { code });
            }
            if code != 0 && code != 101 && late_error.is_none() {
                late_error = Some(code);
            }
            outcomes.push(slot.outcome);
            if let Some(front) = slots.front_mut() {
                front.release(&mut out);
            }
            let _ = out.flush();
        }
    }

    let total = |f: fn(&Outcome) -> u64| outcomes.iter().map(f).sum::<u64>();
    let (passed, failed, ignored, measured) = (total(|o| o.passed), total(|o| o.failed), total(|o| o.ignored), total(|o| o.measured));
    // Each process saw every test of the harness: what was not listed was "filtered out".
    let harness_tests = outcomes.first().map_or(0, |o| o.filtered_out + o.passed + o.failed + o.ignored + o.measured);
    let filtered_out = harness_tests.saturating_sub(names.len() as u64);
    // libtest reports the wall time of the run.
    let secs = started.elapsed().as_secs_f64();
    if failed > 0 {
        let mut blocks: Vec<(String, Vec<String>)> = outcomes.iter_mut().flat_map(|o| std::mem::take(&mut o.blocks)).collect();
        // In the order a serial run prints them: the list's.
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
        let mut failed_names: Vec<&String> = outcomes.iter().flat_map(|o| &o.failed_names).collect();
        failed_names.sort_by_key(|n| position(n));
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
    Some(match late_error {
        Some(code) => code,
        None if failed == 0 => 0,
        None => 101,
    })
}

/// The run's standard output: libtest's pretty lines as the batches print them, or (terse)
/// each `test NAME ... RESULT` line turned into the mark a terse serial run prints for it,
/// with its progress count every 88 marks. It takes the stdout lock for each write only, so
/// no lock is held when a batch is forked.
struct Out {
    terse: Option<Terse>,
}

struct Terse {
    /// Tests run (the number of `running N tests`).
    total: usize,
    count: usize,
    /// Marks on the current line.
    column: usize,
    /// The start of a line not complete yet.
    line: Vec<u8>,
}

/// libtest's terse formatter ends a line of marks after this many.
const TERSE_COLUMNS: usize = 88;

impl Out {
    fn new(terse: bool, total: usize) -> Out {
        Out { terse: terse.then(|| Terse { total, count: 0, column: 0, line: Vec::new() }) }
    }
}

impl Terse {
    /// One complete line (without its newline): what a terse run prints for it.
    fn convert(&mut self, line: &str) -> String {
        let result = line.strip_prefix("test ").and_then(|l| l.rsplit_once(" ... "));
        let Some((name, result)) = result else { return format!("{line}\n") };
        let mut out = String::new();
        let mark = |out: &mut String, m: &str, t: &mut Terse| {
            out.push_str(m);
            t.count += 1;
            t.column += 1;
            if t.column % TERSE_COLUMNS == TERSE_COLUMNS - 1 {
                out.push_str(&format!(" {}/{}\n", t.count, t.total));
                t.column = 0;
            }
        };
        match result {
            "ok" => mark(&mut out, ".", self),
            r if r == "ignored" || r.starts_with("ignored, ") => mark(&mut out, "i", self),
            "FAILED" => {
                if self.column != 0 {
                    out.push_str(&format!(" {}/{}\n", self.count, self.total));
                    self.column = 0;
                }
                self.count += 1;
                let name = name.rsplit_once(" - ").map_or(name, |(n, _)| n);
                out.push_str(&format!("{name} --- FAILED\n"));
            }
            // A test cut short (its report follows on stderr): terse runs do not name it.
            "" => {}
            _ => out.push_str(&format!("{line}\n")),
        }
        out
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Some(t) = &mut self.terse else { return std::io::stdout().lock().write(buf) };
        t.line.extend_from_slice(buf);
        let mut text = String::new();
        while let Some(end) = t.line.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = t.line.drain(..=end).collect();
            text.push_str(&t.convert(&String::from_utf8_lossy(&line[..end])));
        }
        std::io::stdout().lock().write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush()
    }
}

/// `ok. 3 passed; 1 failed; 0 ignored; 0 measured; 5 filtered out; finished in 0.12s`
fn parse_result(rest: &str, s: &mut Outcome) {
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
        let p = plan(&argv("--test-threads=4 foo --skip bar --exact --include-ignored")).unwrap();
        assert_eq!(p.workers, 4);
        assert_eq!(p.selection, ["foo", "--skip", "bar", "--exact", "--include-ignored"]);
        assert_eq!(p.ignored_mode.as_deref(), Some("--include-ignored"));
        assert!(plan(&argv("--test-threads=1")).is_none());
        assert!(plan(&argv("--nocapture")).is_none());
        assert!(plan(&argv("--list")).is_none());
        assert!(plan(&argv("--format json")).is_none());
        assert!(plan(&argv("--show-output")).is_none());
    }

    #[test]
    fn result_lines() {
        let mut s = Outcome::default();
        parse_result("FAILED. 3 passed; 1 failed; 2 ignored; 0 measured; 5 filtered out; finished in 1.25s", &mut s);
        assert_eq!((s.passed, s.failed, s.ignored, s.measured, s.filtered_out), (3, 1, 2, 0, 5));
    }

    #[test]
    fn a_batch_output_is_parsed() {
        let mut slot = Slot::new(fork::Child { pid: 0, stdout: None, stderr: None }, 3, true);
        let output = "\nrunning 3 tests\ntest a ... ok\nprinted directly\ntest b ... FAILED\ntest c ... ignored\n\nfailures:\n\n\
                      ---- b stdout ----\nboom\n\nfailures:\n    b\n\ntest result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 4 filtered out; finished in 0.10s\n\n";
        let shown: Vec<String> = output.lines().filter_map(|l| slot.line(l.to_string())).collect();
        // Result lines, and output that escaped capture, are printed as they come.
        assert_eq!(shown, ["test a ... ok", "printed directly", "test b ... FAILED", "test c ... ignored"]);
        let o = &slot.outcome;
        assert!(o.seen_result);
        assert_eq!((o.passed, o.failed, o.ignored, o.filtered_out), (1, 1, 1, 4));
        assert_eq!(o.blocks, [("b".to_string(), vec!["---- b stdout ----".to_string(), "boom".to_string()])]);
        assert_eq!(o.failed_names, ["b"]);
    }

    #[test]
    fn batches_shrink_but_stay_worth_a_process() {
        let ms = Duration::from_millis;
        // Nothing known yet: a quarter of the list per batch for two workers.
        assert_eq!(batch_size(136, 2, ms(300), None), 34);
        assert_eq!(batch_size(3, 2, ms(300), None), 1);
        // Slow tests: the share decides; quick ones: enough of them to pay for the start.
        assert_eq!(batch_size(20, 2, ms(300), Some(ms(1000))), 5);
        assert_eq!(batch_size(20, 2, ms(300), Some(ms(10))), 20);
        assert_eq!(batch_size(100, 2, ms(300), Some(ms(10))), 30);
    }
}
