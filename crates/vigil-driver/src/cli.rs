//! Command-line parsing: `vigil run FILE.rs` and `vigil run-record RECORD` (used by cargo-vigil).

use std::path::PathBuf;

use crate::run::{self, Options};

const USAGE: &str = "\
Vigil: runs Rust programs on a MIR interpreter and stops at undefined behavior.

Usage:
    vigil run [VIGIL FLAGS] [RUSTC FLAGS] FILE.rs [-- PROGRAM ARGS]
    vigil run-record RECORD [VIGIL FLAGS] [-- PROGRAM ARGS]   (used by `cargo vigil`)

Vigil flags (also read from the VIGILFLAGS environment variable):
    -Zvigil-seed=N          seed of the deterministic random source (default 0)
    -Zvigil-backtrace=short|full|off
                            how reports show the interpreted backtrace: without std's
                            runtime frames (short, the default), all frames, or none
    -Zvigil-symbolic-alignment-check
                            alignment comes from the allocation, not the address
    -Zvigil-strict-provenance
                            integer-to-pointer casts are errors
    -Zvigil-disable-validation
                            do not check that values are valid for their type
    -Zvigil-disable-stacked-borrows
                            do not check the aliasing model
    -Zvigil-tree-borrows    check Tree Borrows instead of Stacked Borrows (experimental)
    -Zvigil-ignore-leaks    do not report memory leaks (nor threads still running at exit)
    -Zvigil-preemption-rate=P
                            probability of preempting the running thread at the end of
                            a basic block (default 0.01)
    -Zvigil-fixed-schedule  round-robin scheduling without preemption
    -Zvigil-deterministic-concurrency
                            fixed schedule, no spurious compare-exchange failures, no
                            weak-memory effects
    -Zvigil-many-seeds[=FROM..TO]
                            run once per seed (default 0..64), in parallel, and report the
                            failing seeds; -Zvigil-many-seeds-keep-going tries them all
    -Zvigil-num-cpus=N      CPUs the program sees (default 1)
    -Zvigil-compare-exchange-weak-failure-rate=P
                            how often a weak compare-exchange fails spuriously (default 0.8)
    -Zvigil-disable-data-race-detector
                            do not check for data races (implies no weak-memory effects)
    -Zvigil-disable-weak-memory-emulation
                            loads always see the latest store
    --message-format=json   findings as JSON objects, one per line (or VIGIL_MESSAGE_FORMAT=json)

The concurrency flags may also be spelled -Zmiri-... as Miri users write them.

Every other flag is passed to rustc. The program is compiled as edition 2021
unless --edition is given.";

pub fn main() -> Result<u8, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first().cloned() else {
        println!("{USAGE}");
        return Ok(2);
    };
    args.remove(0);
    match cmd.as_str() {
        "run" => run_file(args),
        "run-record" => run_record(args),
        "--help" | "-h" | "help" => {
            println!("{USAGE}");
            Ok(0)
        }
        "--version" | "-V" => {
            println!("vigil {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

/// Splits off Vigil's own `-Zvigil-*` flags (plus those from VIGILFLAGS).
fn take_vigil_flags(args: &mut Vec<String>) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut flags: Vec<String> = std::env::var("VIGILFLAGS").unwrap_or_default().split_whitespace().map(String::from).collect();
    if std::env::var("VIGIL_MESSAGE_FORMAT").is_ok_and(|v| v == "json") {
        opts.json = true;
    }
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--message-format=json" => {
                opts.json = true;
                args.remove(i);
            }
            "--message-format" if args.get(i + 1).is_some_and(|v| v == "json") => {
                opts.json = true;
                args.drain(i..i + 2);
            }
            f if f.starts_with("--message-format") => return Err(format!("unsupported `{f}` (only `--message-format=json`)")),
            _ => i += 1,
        }
    }
    args.retain(|a| {
        if a.starts_with("-Zvigil-")
            || MIRI_SPELLED.iter().any(|m| a.strip_prefix("-Zmiri-").is_some_and(|r| r == *m || r.starts_with(&format!("{m}="))))
        {
            flags.push(a.clone());
            false
        } else {
            true
        }
    });
    let rate = |name: &str, v: &str| -> Result<f64, String> {
        match v.parse::<f64>() {
            Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
            _ => Err(format!("invalid value for {name}: `{v}` (a probability between 0.0 and 1.0)")),
        }
    };
    for f in flags {
        // `-Zmiri-X` is `-Zvigil-X` for the flags both tools share.
        let f = match f.strip_prefix("-Zmiri-") {
            Some(rest) => format!("-Zvigil-{rest}"),
            None => f,
        };
        let (name, value) = f.split_once('=').map(|(n, v)| (n, Some(v))).unwrap_or((f.as_str(), None));
        match (name, value) {
            ("-Zvigil-seed", Some(v)) => {
                opts.seed = v.parse().map_err(|_| format!("invalid value for -Zvigil-seed: `{v}`"))?;
                opts.seed_given = true;
            }
            ("-Zvigil-preemption-rate", Some(v)) => opts.preemption_rate = rate(name, v)?,
            ("-Zvigil-compare-exchange-weak-failure-rate", Some(v)) => opts.cmpxchg_weak_failure_rate = rate(name, v)?,
            ("-Zvigil-fixed-schedule", None) => opts.fixed_schedule = true,
            ("-Zvigil-deterministic-concurrency", None) => {
                opts.fixed_schedule = true;
                opts.cmpxchg_weak_failure_rate = 0.0;
                opts.disable_weak_memory = true;
            }
            ("-Zvigil-num-cpus", Some(v)) => {
                opts.num_cpus = v.parse().ok().filter(|&n| n > 0 && n <= 1024).ok_or_else(|| format!("invalid value for {name}: `{v}`"))?
            }
            ("-Zvigil-disable-data-race-detector", None) => opts.disable_data_race_detector = true,
            ("-Zvigil-disable-weak-memory-emulation", None) => opts.disable_weak_memory = true,
            ("-Zvigil-many-seeds", None) => opts.many_seeds = Some(0..64),
            ("-Zvigil-many-seeds", Some(v)) => opts.many_seeds = Some(parse_seed_range(v)?),
            ("-Zvigil-many-seeds-keep-going", None) => opts.many_seeds_keep_going = true,
            ("-Zvigil-backtrace", Some(v @ ("full" | "short" | "off"))) => opts.backtrace = v.to_string(),
            ("-Zvigil-symbolic-alignment-check", None) => opts.symbolic_alignment = true,
            ("-Zvigil-strict-provenance", None) => opts.strict_provenance = true,
            ("-Zvigil-ignore-leaks", None) => opts.ignore_leaks = true,
            ("-Zvigil-disable-validation", None) => opts.disable_validation = true,
            ("-Zvigil-disable-stacked-borrows", None) => opts.disable_stacked_borrows = true,
            ("-Zvigil-tree-borrows", None) => opts.tree_borrows = true,
            _ => return Err(format!("unknown Vigil flag `{f}`")),
        }
    }
    if opts.many_seeds.is_some() && opts.seed_given {
        return Err("only one of `-Zvigil-seed` and `-Zvigil-many-seeds` can be set".into());
    }
    Ok(opts)
}

/// The flags Vigil also accepts spelled `-Zmiri-...`.
const MIRI_SPELLED: &[&str] = &[
    "seed",
    "preemption-rate",
    "fixed-schedule",
    "deterministic-concurrency",
    "many-seeds",
    "many-seeds-keep-going",
    "num-cpus",
    "compare-exchange-weak-failure-rate",
    "disable-data-race-detector",
    "disable-weak-memory-emulation",
    "ignore-leaks",
    "disable-validation",
    "disable-stacked-borrows",
    "tree-borrows",
    "strict-provenance",
    "symbolic-alignment-check",
];

/// `FROM..TO` or `..TO` (FROM defaults to 0).
fn parse_seed_range(v: &str) -> Result<std::ops::Range<u64>, String> {
    let err = || format!("-Zvigil-many-seeds requires a range in the form `from..to` or `..to`, not `{v}`");
    let (from, to) = v.split_once("..").ok_or_else(err)?;
    let from = if from.is_empty() { 0 } else { from.parse().map_err(|_| err())? };
    let to: u64 = to.parse().map_err(|_| err())?;
    if from >= to {
        return Err(err());
    }
    Ok(from..to)
}

fn split_program_args(args: &mut Vec<String>) -> Vec<String> {
    match args.iter().position(|a| a == "--") {
        Some(i) => {
            let rest = args.split_off(i + 1);
            args.pop();
            rest
        }
        None => Vec::new(),
    }
}

fn run_file(mut args: Vec<String>) -> Result<u8, String> {
    let program_args = split_program_args(&mut args);
    let opts = take_vigil_flags(&mut args)?;
    let file = args.iter().rev().find(|a| a.ends_with(".rs")).cloned().ok_or_else(|| format!("no input file given\n\n{USAGE}"))?;
    if !std::path::Path::new(&file).exists() {
        return Err(format!("input file `{file}` does not exist"));
    }
    let sysroot = vigil_build::ensure_sysroot()?;
    let mut rustc_args = vec!["--crate-type".to_string(), "bin".to_string()];
    if !args.iter().any(|a| a == "--edition" || a.starts_with("--edition=")) {
        rustc_args.push("--edition=2021".into());
    }
    rustc_args.push("--sysroot".into());
    rustc_args.push(sysroot.display().to_string());
    rustc_args.extend(vigil_build::VIGIL_RUSTC_FLAGS.iter().map(|s| s.to_string()));
    rustc_args.extend(args);
    let argv0 = file.strip_suffix(".rs").unwrap_or(&file).to_string();
    let mut argv = vec![argv0];
    argv.extend(program_args);
    run::interpret(rustc_args, argv, opts)
}

fn run_record(mut args: Vec<String>) -> Result<u8, String> {
    let program_args = split_program_args(&mut args);
    let mut opts = take_vigil_flags(&mut args)?;
    // cargo-vigil's runner names the directory cargo runs the program in.
    opts.run_cwd = std::env::var_os("VIGIL_RUN_CWD").map(PathBuf::from);
    let path = args.first().ok_or_else(|| format!("run-record needs a record path\n\n{USAGE}"))?;
    let record = vigil_build::InvocationRecord::read(&PathBuf::from(path))?;
    for (k, v) in &record.env {
        // SAFETY: single-threaded at this point; rustc has not started yet.
        unsafe { std::env::set_var(k, v) };
    }
    std::env::set_current_dir(&record.cwd).map_err(|e| format!("cannot enter {}: {e}", record.cwd.display()))?;
    let mut argv = vec![path.strip_suffix(".json").unwrap_or(path).to_string()];
    argv.extend(program_args);
    run::interpret(record.args.clone(), argv, opts)
}
