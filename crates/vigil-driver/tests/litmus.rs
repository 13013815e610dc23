//! Litmus tests: `tests/litmus/*.rs` programs whose outcome depends on the schedule and on weak
//! memory. Each runs under `vigil run -Zvigil-many-seeds=<seeds>` (one process per seed), and the
//! set of lines its runs print is checked against the headers:
//!
//! - `//@ seeds: FROM..TO` (required): the seeds to run.
//! - `//@ observed: LINE`: some seed must print this line (an outcome the model allows and the
//!   scheduler reaches).
//! - `//@ forbidden: LINE`: no seed may print it (an outcome the model rules out).
//! - `//@ flags: ...`: extra Vigil flags. `//@ exit: N`: the expected exit code (default 0: every
//!   seed succeeded). `//@ stderr-contains: TEXT`: stderr must contain it (repeatable).
//!
//! Filter with substrings on the command line (`cargo test -p vigil-driver --test litmus -- store`);
//! VIGIL_TEST_VIGIL overrides the vigil binary (default: the one built next to this test).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(Default)]
struct Spec {
    seeds: Option<String>,
    observed: Vec<String>,
    forbidden: Vec<String>,
    flags: Vec<String>,
    exit: i32,
    stderr_contains: Vec<String>,
}

fn parse(src: &str) -> Result<Spec, String> {
    let mut s = Spec::default();
    for (i, line) in src.lines().enumerate() {
        let Some(rest) = line.strip_prefix("//@") else { continue };
        let (k, v) = rest.split_once(':').ok_or_else(|| format!("line {}: expected `//@ key: value`", i + 1))?;
        let v = v.trim().to_string();
        match k.trim() {
            "seeds" => s.seeds = Some(v),
            "observed" => s.observed.push(v),
            "forbidden" => s.forbidden.push(v),
            "flags" => s.flags.extend(v.split_whitespace().map(String::from)),
            "exit" => s.exit = v.parse().map_err(|_| format!("line {}: bad exit code", i + 1))?,
            "stderr-contains" => s.stderr_contains.push(v),
            other => return Err(format!("line {}: unknown header `{other}`", i + 1)),
        }
    }
    if s.seeds.is_none() {
        return Err("missing `//@ seeds: FROM..TO`".into());
    }
    Ok(s)
}

fn vigil_binary() -> PathBuf {
    if let Some(v) = std::env::var_os("VIGIL_TEST_VIGIL") {
        return PathBuf::from(v);
    }
    // target/<profile>/deps/litmus-* -> target/<profile>/vigil
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent().and_then(Path::parent).map(|d| d.join("vigil")).expect("target directory")
}

fn check(vigil: &Path, root: &Path, file: &Path) -> Result<(), String> {
    let spec = parse(&std::fs::read_to_string(file).map_err(|e| e.to_string())?)?;
    let rel = file.strip_prefix(root).unwrap_or(file);
    let out = Command::new(vigil)
        .current_dir(root)
        .env("RUST_BACKTRACE", "0")
        .arg("run")
        .arg(format!("-Zvigil-many-seeds={}", spec.seeds.as_deref().unwrap()))
        .args(&spec.flags)
        .args(["--edition", "2021"])
        .arg(rel)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", vigil.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: std::collections::BTreeSet<&str> = stdout.lines().collect();
    let mut problems = Vec::new();
    let code = out.status.code().unwrap_or(-1);
    if code != spec.exit {
        problems.push(format!("exit code {code}, expected {}", spec.exit));
    }
    for o in &spec.observed {
        if !lines.contains(o.as_str()) {
            problems.push(format!("outcome `{o}` never observed"));
        }
    }
    for f in &spec.forbidden {
        if lines.contains(f.as_str()) {
            problems.push(format!("forbidden outcome `{f}` observed"));
        }
    }
    for c in &spec.stderr_contains {
        if !stderr.contains(c.as_str()) {
            problems.push(format!("stderr lacks `{c}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n  outcomes: {:?}\n  stderr (end): {}",
            problems.join("; "),
            lines,
            stderr.chars().rev().take(600).collect::<String>().chars().rev().collect::<String>()
        ))
    }
}

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root");
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let vigil = vigil_binary();
    if !vigil.is_file() {
        eprintln!("`{}` is missing; run `cargo build -p vigil-driver` first", vigil.display());
        return ExitCode::FAILURE;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/litmus"))
        .expect("tests/litmus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| filters.is_empty() || filters.iter().any(|f| p.to_string_lossy().contains(f.as_str())))
        .collect();
    files.sort();
    let (mut passed, mut failed) = (0, 0);
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy();
        match check(&vigil, &root, f) {
            Ok(()) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Err(e) => {
                println!("test {name} ... FAILED\n  {e}");
                failed += 1;
            }
        }
    }
    println!("\n{passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
