//! UI "pass" tests: every `tests/ui/pass/*.rs` program must behave under Vigil exactly as it does natively.
//!
//! Contract, for each program (sorted by file name):
//! 1. It is compiled natively with the pinned rustc:
//!    `rustc --edition 2021 -C debug-assertions=on -o <tmp>/<name> tests/ui/pass/<name>.rs`.
//!    The compilation must succeed without any diagnostic (Vigil compiles the same file, so a warning
//!    would show up in its stderr and nowhere in the native run's).
//! 2. The native binary and `vigil run --edition 2021 -C debug-assertions=on tests/ui/pass/<name>.rs -- <args>`
//!    are run with the same arguments and environment: the inherited environment plus `RUST_BACKTRACE=0`
//!    and the program's `//@ env:` headers. Both run in the workspace root, so panic locations read
//!    `tests/ui/pass/<name>.rs:L:C` in both.
//!    When the program enables a target feature this host's CPU lacks (`//@ compile-flags:
//!    -C target-feature=+avx512f`), the native binary cannot run: the oracle is then
//!    `tests/ui/pass/<name>.stdout` (recorded from a native run on a host that has it, with an
//!    empty stderr and exit code 0), which hosts that can run the binary check against it.
//! 3. Stdout bytes, stderr bytes and the exit code must be identical. The only normalization is the thread
//!    id in panic messages: `thread 'main' (12345) panicked` becomes `thread 'main' (TID) panicked`.
//! 4. Step 2 and 3 are done once per aliasing model, Stacked Borrows (the default) and Tree Borrows
//!    (`-Zvigil-tree-borrows`): a correct program must be accepted by both. VIGIL_TEST_MODELS
//!    (`stack`, `tree` or `stack,tree`, the default) selects the models.
//!
//! Headers (lines starting with `//@`, see tests/ui/README.md): `//@ args: a "b c"` (shell-like quoting),
//! `//@ env: NAME=value` (repeatable), `//@ vigil-flags: -Zvigil-...` (for Vigil's run only, e.g. a
//! scheduling seed) and `//@ compile-flags: -C target-feature=+avx2` (rustc flags for both the native
//! build and Vigil). Unknown headers are an error.
//!
//! Selection: substrings given on the command line (`cargo test -p vigil-driver --test ui_pass -- hash`)
//! and/or the VIGIL_TEST_FILTER environment variable; a program runs if its name contains one of the
//! command-line substrings (when any) and the VIGIL_TEST_FILTER substring (when set).
//! Other knobs: VIGIL_TEST_JOBS (parallel programs, default 2), VIGIL_TEST_TIMEOUT (seconds per Vigil run,
//! default 600), VIGIL_TEST_FLAGS (extra flags passed to `vigil run`, whitespace-separated),
//! VIGIL_TEST_RUSTC / VIGIL_TEST_VIGIL (override the rustc and vigil binaries), VIGIL_TEST_KEEP=1 (keep
//! the temporary directory with the native binaries).
//!
//! Known failures: `tests/ui/pass/KNOWN_FAILURES` lists `name: reason` lines for programs that do not match
//! yet; they still run and are reported, but do not fail the suite. A listed program that passes is a failure
//! (remove it from the list), so the list stays true.
//!
//! The last line printed is always `N passed, N failed`; the exit code is non-zero if any program failed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How a program is run: parsed from its `//@` headers.
#[derive(Debug, Default)]
struct Headers {
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// Extra flags for Vigil only (`//@ vigil-flags: -Zvigil-...`).
    vigil_flags: Vec<String>,
    /// rustc flags for both the native build and Vigil (`//@ compile-flags: -C target-feature=+avx2`).
    compile_flags: Vec<String>,
}

/// What one run produced, after normalization.
#[derive(Debug, PartialEq)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// The exit code, or a description such as `signal 11` / `timeout after 600s`.
    status: String,
}

struct Config {
    root: PathBuf,
    rustc: PathBuf,
    vigil: PathBuf,
    vigil_flags: Vec<String>,
    /// The aliasing models every program runs under: (name, flags).
    models: Vec<(&'static str, Vec<String>)>,
    tmp: PathBuf,
    native_timeout: Duration,
    vigil_timeout: Duration,
}

enum Verdict {
    Pass,
    Fail(String),
}

fn main() -> ExitCode {
    let cli: Vec<String> = std::env::args().skip(1).collect();
    let list_only = cli.iter().any(|a| a == "--list");
    let cli_filters: Vec<String> = cli.into_iter().filter(|a| !a.starts_with('-')).collect();
    let env_filter = std::env::var("VIGIL_TEST_FILTER").ok().filter(|f| !f.is_empty());

    let root = workspace_root();
    let dir = root.join("tests/ui/pass");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            println!("0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    names.sort();
    names.retain(|n| {
        (cli_filters.is_empty() || cli_filters.iter().any(|f| n.contains(f.as_str())))
            && env_filter.as_deref().is_none_or(|f| n.contains(f))
    });
    if list_only {
        for n in &names {
            println!("{n}: test");
        }
        return ExitCode::SUCCESS;
    }

    let tmp = std::env::var_os("VIGIL_TEST_TMPDIR")
        .map(PathBuf::from)
        .or_else(|| option_env!("CARGO_TARGET_TMPDIR").map(PathBuf::from))
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("vigil-ui-pass-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        eprintln!("cannot create {}: {e}", tmp.display());
        println!("0 passed, {} failed", names.len().max(1));
        return ExitCode::FAILURE;
    }
    let secs = |var: &str, default: u64| Duration::from_secs(std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default));
    let cfg = Config {
        rustc: find_rustc(),
        vigil: find_vigil(),
        vigil_flags: std::env::var("VIGIL_TEST_FLAGS").unwrap_or_default().split_whitespace().map(String::from).collect(),
        models: {
            let wanted = std::env::var("VIGIL_TEST_MODELS").unwrap_or_else(|_| "stack,tree".into());
            let mut m = Vec::new();
            if wanted.split(',').any(|w| w.trim() == "stack") {
                m.push(("Stacked Borrows", Vec::new()));
            }
            if wanted.split(',').any(|w| w.trim() == "tree") {
                m.push(("Tree Borrows", vec!["-Zvigil-tree-borrows".to_string()]));
            }
            m
        },
        root,
        tmp,
        native_timeout: Duration::from_secs(60),
        vigil_timeout: secs("VIGIL_TEST_TIMEOUT", 600),
    };
    let jobs: usize = std::env::var("VIGIL_TEST_JOBS").ok().and_then(|v| v.parse().ok()).filter(|&j| j > 0).unwrap_or(2);

    println!(
        "running {} ui/pass programs ({} at a time)\n  rustc: {}\n  vigil: {}{}",
        names.len(),
        jobs,
        cfg.rustc.display(),
        cfg.vigil.display(),
        if cfg.vigil_flags.is_empty() { String::new() } else { format!(" {}", cfg.vigil_flags.join(" ")) }
    );
    if !cfg.vigil.exists() {
        println!("  warning: the vigil binary does not exist; every program will fail");
    }

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Verdict>>> = Mutex::new((0..names.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(names.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(name) = names.get(i) else { break };
                    let start = Instant::now();
                    let verdict = check_program(&cfg, name);
                    let word = if matches!(verdict, Verdict::Pass) { "ok" } else { "FAILED" };
                    {
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "test {name} ... {word} ({:.1}s)", start.elapsed().as_secs_f64());
                        let _ = out.flush();
                    }
                    results.lock().unwrap()[i] = Some(verdict);
                }
            });
        }
    });

    let results = results.into_inner().unwrap();
    let known = known_failures();
    let mut failed = Vec::new();
    let mut known_failed = Vec::new();
    for (name, r) in names.iter().zip(results) {
        match (r, known.iter().find(|(k, _)| k == name)) {
            (Some(Verdict::Fail(_)), Some((_, reason))) => known_failed.push((name, reason.clone())),
            (Some(Verdict::Fail(why)), None) => failed.push((name, why)),
            // A listed program that now passes must leave the list, so the list stays true.
            (_, Some(_)) => failed.push((name, "passes now: remove it from tests/ui/pass/KNOWN_FAILURES".to_string())),
            _ => {}
        }
    }
    for (name, reason) in &known_failed {
        println!("known failure {name}: {reason}");
    }
    for (name, why) in &failed {
        println!("\n---- {name} ({}) ----\n{}", Path::new("tests/ui/pass").join(format!("{name}.rs")).display(), why.trim_end());
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for (name, _) in &failed {
            println!("    {name}");
        }
    }
    if std::env::var_os("VIGIL_TEST_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&cfg.tmp);
    }
    println!(
        "\n{} passed, {} failed, {} known failures (tests/ui/pass/KNOWN_FAILURES)",
        names.len() - failed.len() - known_failed.len(),
        failed.len(),
        known_failed.len()
    );
    println!("{} passed, {} failed", names.len() - failed.len() - known_failed.len(), failed.len());
    if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The workspace root: two levels above this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The pinned rustc: VIGIL_TEST_RUSTC, else the `rustc` next to the `cargo` that runs (or built) this test
/// (the pinned toolchain's own binary, not the rustup proxy), else `rustc` resolved from the workspace root,
/// where rust-toolchain.toml selects the pinned toolchain.
fn find_rustc() -> PathBuf {
    if let Some(p) = std::env::var_os("VIGIL_TEST_RUSTC") {
        return PathBuf::from(p);
    }
    let cargo = std::env::var_os("CARGO").map(PathBuf::from).or_else(|| option_env!("CARGO").map(PathBuf::from));
    if let Some(cargo) = cargo {
        let rustc = cargo.with_file_name(format!("rustc{}", std::env::consts::EXE_SUFFIX));
        if rustc.is_file() {
            return rustc;
        }
    }
    PathBuf::from("rustc")
}

fn find_vigil() -> PathBuf {
    if let Some(p) = std::env::var_os("VIGIL_TEST_VIGIL") {
        return PathBuf::from(p);
    }
    match option_env!("CARGO_BIN_EXE_vigil") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from("vigil"),
    }
}

fn check_program(cfg: &Config, name: &str) -> Verdict {
    let rel = format!("tests/ui/pass/{name}.rs");
    let src = match std::fs::read_to_string(cfg.root.join(&rel)) {
        Ok(s) => s,
        Err(e) => return Verdict::Fail(format!("cannot read {rel}: {e}")),
    };
    let headers = match parse_headers(&src) {
        Ok(h) => h,
        Err(e) => return Verdict::Fail(format!("bad header: {e}")),
    };

    let exe = cfg.tmp.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut rustc = Command::new(&cfg.rustc);
    rustc
        .current_dir(&cfg.root)
        .args(["--edition", "2021", "-C", "debug-assertions=on"])
        .args(&headers.compile_flags)
        .arg("-o")
        .arg(&exe)
        .arg(&rel);
    let compiled = match run(rustc, cfg.native_timeout * 5) {
        Ok(o) => o,
        Err(e) => return Verdict::Fail(format!("cannot run rustc {}: {e}", cfg.rustc.display())),
    };
    if compiled.status != "0" {
        return Verdict::Fail(format!("native compilation failed ({}):\n{}", compiled.status, String::from_utf8_lossy(&compiled.stderr)));
    }
    if !compiled.stderr.is_empty() {
        return Verdict::Fail(format!(
            "native compilation printed diagnostics; ui/pass programs must compile without warnings:\n{}",
            String::from_utf8_lossy(&compiled.stderr)
        ));
    }

    // The output recorded from a native run on a host with every target feature the program
    // enables (`<name>.stdout`, optional): the oracle on a host that lacks one of them, and
    // checked against the native run everywhere else so that it stays true.
    let recorded_path = cfg.root.join(format!("tests/ui/pass/{name}.stdout"));
    let recorded = std::fs::read(&recorded_path).ok().map(|stdout| Outcome { stdout, stderr: Vec::new(), status: "0".into() });
    let missing = missing_host_features(&headers.compile_flags);
    let native = if missing.is_empty() {
        let mut native = Command::new(&exe);
        native.args(&headers.args);
        let native = match run(prepare(native, cfg, &headers), cfg.native_timeout) {
            Ok(o) => o,
            Err(e) => return Verdict::Fail(format!("cannot run the native binary: {e}")),
        };
        if let Some(rec) = &recorded
            && native != *rec
        {
            return Verdict::Fail(format!(
                "{} differs from the native run (record it again from the native binary):\n{}",
                recorded_path.display(),
                mismatch(rec, &native)
            ));
        }
        native
    } else {
        match recorded {
            Some(rec) => rec,
            None => {
                return Verdict::Fail(format!(
                    "this host's CPU lacks {} (the program enables it), so the native binary cannot run; \
                     record its output as {} on a host that has it",
                    missing.join(", "),
                    recorded_path.display()
                ));
            }
        }
    };

    // A correct program must be accepted by both aliasing models.
    for (model, flags) in &cfg.models {
        let mut vigil = Command::new(&cfg.vigil);
        vigil
            .arg("run")
            .args(&cfg.vigil_flags)
            .args(&headers.vigil_flags)
            .args(flags)
            .args(["--edition", "2021", "-C", "debug-assertions=on"])
            .args(&headers.compile_flags)
            .arg(&rel)
            .arg("--")
            .args(&headers.args);
        let vigil = match run(prepare(vigil, cfg, &headers), cfg.vigil_timeout) {
            Ok(o) => o,
            Err(e) => return Verdict::Fail(format!("cannot run vigil {}: {e}", cfg.vigil.display())),
        };
        if native != vigil {
            return Verdict::Fail(format!("with {model}: {}", mismatch(&native, &vigil)));
        }
    }
    Verdict::Pass
}

/// The target features `-C target-feature=+a,+b` flags enable that this host's CPU does not
/// have (features this harness does not know are taken as present: the native run tells).
fn missing_host_features(compile_flags: &[String]) -> Vec<String> {
    compile_flags
        .iter()
        .filter_map(|f| f.strip_prefix("-C").unwrap_or(f).strip_prefix("target-feature="))
        .flat_map(|list| list.split(','))
        .filter_map(|f| f.strip_prefix('+'))
        .filter(|f| !host_has_feature(f))
        .map(String::from)
        .collect()
}

#[cfg(target_arch = "x86_64")]
fn host_has_feature(feature: &str) -> bool {
    macro_rules! detect {
        ($($name:tt)*) => {
            match feature {
                $($name => std::arch::is_x86_feature_detected!($name),)*
                _ => true,
            }
        };
    }
    detect!(
        "sse4.1" "sse4.2" "avx" "avx2" "fma" "bmi1" "bmi2" "adx" "aes" "pclmulqdq" "sha" "gfni" "vaes"
        "vpclmulqdq" "avx512f" "avx512vl" "avx512bw" "avx512dq" "avx512cd" "avx512vnni" "avx512vbmi"
        "avx512vbmi2" "avx512bitalg" "avx512vpopcntdq"
    )
}

#[cfg(not(target_arch = "x86_64"))]
fn host_has_feature(_feature: &str) -> bool {
    true
}

/// What differs between the native and the Vigil run.
fn mismatch(native: &Outcome, vigil: &Outcome) -> String {
    if vigil.status.starts_with("timeout") {
        return format!("vigil did not finish: {} (VIGIL_TEST_TIMEOUT sets the limit)", vigil.status);
    }
    let mut why = String::new();
    if native.status != vigil.status {
        why += &format!("exit code differs: native {}, vigil {}\n", native.status, vigil.status);
    }
    if native.stdout != vigil.stdout {
        why += &format!("stdout differs (--- native, +++ vigil):\n{}", diff(&native.stdout, &vigil.stdout));
    }
    if native.stderr != vigil.stderr {
        why += &format!("stderr differs (--- native, +++ vigil):\n{}", diff(&native.stderr, &vigil.stderr));
    }
    why
}

/// Environment and working directory shared by the native and the Vigil run.
fn prepare(mut cmd: Command, cfg: &Config, headers: &Headers) -> Command {
    cmd.current_dir(&cfg.root).env("RUST_BACKTRACE", "0");
    for (k, v) in &headers.env {
        cmd.env(k, v);
    }
    cmd
}

fn parse_headers(src: &str) -> Result<Headers, String> {
    let mut h = Headers::default();
    let mut seen_args = false;
    for (i, line) in src.lines().enumerate() {
        let Some(rest) = line.strip_prefix("//@") else { continue };
        let (key, value) = rest.split_once(':').ok_or_else(|| format!("line {}: expected `//@ key: value`", i + 1))?;
        let value = value.trim();
        match key.trim() {
            "args" => {
                if seen_args {
                    return Err(format!("line {}: `args` given twice", i + 1));
                }
                seen_args = true;
                h.args = split_shell_words(value).map_err(|e| format!("line {}: {e}", i + 1))?;
            }
            "env" => {
                let (k, v) = value.split_once('=').ok_or_else(|| format!("line {}: expected `//@ env: NAME=value`", i + 1))?;
                if k.is_empty() || k.contains(char::is_whitespace) {
                    return Err(format!("line {}: bad variable name {k:?}", i + 1));
                }
                h.env.push((k.to_string(), v.to_string()));
            }
            "vigil-flags" => h.vigil_flags.extend(value.split_whitespace().map(String::from)),
            "compile-flags" => h.compile_flags.extend(value.split_whitespace().map(String::from)),
            other => return Err(format!("line {}: unknown header `{other}` (known: args, env, vigil-flags, compile-flags)", i + 1)),
        }
    }
    Ok(h)
}

/// Splits like a POSIX shell without expansions: whitespace separates words, `'...'` is literal,
/// `"..."` groups words and allows `\"` and `\\`, a backslash outside quotes escapes the next character.
fn split_shell_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next().ok_or("trailing backslash")?);
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Runs `cmd` to completion (killing it after `timeout`), capturing stdout and stderr.
fn run(mut cmd: Command, timeout: Duration) -> std::io::Result<Outcome> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait()? {
            let stdout = out_reader.join().unwrap_or_default();
            let stderr = normalize_thread_ids(&err_reader.join().unwrap_or_default());
            return Ok(Outcome { stdout, stderr, status: describe_status(st) });
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            // The readers are not joined: a grandchild may still hold the pipes open.
            let status = format!("timeout after {}s", timeout.as_secs());
            return Ok(Outcome { stdout: Vec::new(), stderr: Vec::new(), status });
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn describe_status(st: std::process::ExitStatus) -> String {
    if let Some(code) = st.code() {
        return code.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = st.signal() {
            return format!("signal {sig}");
        }
    }
    st.to_string()
}

/// `thread '<name>' (<digits>) panicked` -> `thread '<name>' (TID) panicked`, at the start of a line.
fn normalize_thread_ids(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(&normalize_line(line).unwrap_or_else(|| line.to_vec()));
    }
    out
}

fn normalize_line(line: &[u8]) -> Option<Vec<u8>> {
    let rest = line.strip_prefix(b"thread '")?;
    let name_end = rest.windows(3).position(|w| w == b"' (")?;
    let after = &rest[name_end + 3..];
    let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || !after[digits..].starts_with(b") panicked") {
        return None;
    }
    let mut v = b"thread '".to_vec();
    v.extend_from_slice(&rest[..name_end + 3]);
    v.extend_from_slice(b"TID");
    v.extend_from_slice(&after[digits..]);
    Some(v)
}

/// A unified-style line diff (3 lines of context), capped at 60 lines of output.
fn diff(a: &[u8], b: &[u8]) -> String {
    let al: Vec<&[u8]> = a.split_inclusive(|&c| c == b'\n').collect();
    let bl: Vec<&[u8]> = b.split_inclusive(|&c| c == b'\n').collect();
    let show = |l: &[u8]| {
        let s = String::from_utf8_lossy(l);
        match s.strip_suffix('\n') {
            Some(t) => t.to_string(),
            None => format!("{s}\\ (no newline at end)"),
        }
    };
    // Trim the common prefix and suffix, then run an LCS on what is left (bounded in size).
    let pre = al.iter().zip(&bl).take_while(|(x, y)| x == y).count();
    let suf = al[pre..].iter().rev().zip(bl[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&al[pre..al.len() - suf], &bl[pre..bl.len() - suf]);
    let mut ops: Vec<(char, &[u8])> = Vec::new(); // (' ' | '-' | '+', line)
    if am.len().saturating_mul(bm.len()) <= 4_000_000 {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', am[i]));
                i += 1;
            } else {
                ops.push(('+', bm[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(am.iter().map(|l| ('-', *l)));
        ops.extend(bm.iter().map(|l| ('+', *l)));
    }
    let mut out = String::new();
    let ctx_before = pre.min(3);
    out += &format!("@@ first difference at line {} @@\n", pre + 1);
    for l in &al[pre - ctx_before..pre] {
        out += &format!(" {}\n", show(l));
    }
    let total_changes = ops.iter().filter(|(k, _)| *k != ' ').count();
    for (printed, (k, l)) in ops.iter().enumerate() {
        if printed >= 60 {
            out += &format!("... ({} changed lines in total)\n", total_changes);
            return out;
        }
        out += &format!("{k}{}\n", show(l));
    }
    for l in al[al.len() - suf..].iter().take(3) {
        out += &format!(" {}\n", show(l));
    }
    if al.is_empty() || bl.is_empty() {
        out += &format!("(native: {} bytes, vigil: {} bytes)\n", a.len(), b.len());
    }
    out
}

/// Programs known not to match yet, with the reason: `name: reason` per line, `#` comments.
fn known_failures() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/ui/pass/KNOWN_FAILURES");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(n, r)| (n.trim().to_string(), r.trim().to_string())))
        .collect()
}
