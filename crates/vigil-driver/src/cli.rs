//! Command-line parsing: `vigil run FILE.rs` and `vigil run-record RECORD` (used by cargo-vigil).

use std::path::PathBuf;

use crate::run::{self, Options};

const USAGE: &str = "\
Vigil: runs Rust programs on a MIR interpreter and stops at undefined behavior.

Usage:
    vigil run [VIGIL FLAGS] [RUSTC FLAGS] FILE.rs [-- PROGRAM ARGS]
    vigil run-record RECORD [VIGIL FLAGS] [-- PROGRAM ARGS]   (used by `cargo vigil`)

Vigil's flags are Miri's, spelled -Zmiri-... or -Zvigil-..., also read from the MIRIFLAGS
and VIGILFLAGS environment variables (in that order, then the command line; a later flag
wins). Besides --message-format=json (findings as JSON objects, one per line; or
VIGIL_MESSAGE_FORMAT=json):
{FLAGS}
Every other flag is passed to rustc. The program is compiled as edition 2021
unless --edition is given.";

fn usage() -> String {
    USAGE.replace("{FLAGS}", &crate::flags::help())
}

pub fn main() -> Result<u8, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first().cloned() else {
        println!("{}", usage());
        return Ok(2);
    };
    args.remove(0);
    match cmd.as_str() {
        "run" => run_file(args),
        "run-record" => run_record(args),
        "--help" | "-h" | "help" => {
            println!("{}", usage());
            Ok(0)
        }
        "--version" | "-V" => {
            println!("vigil {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        other => Err(format!("unknown command `{other}`\n\n{}", usage())),
    }
}

/// Splits off Vigil's flags: `-Zmiri-*`/`-Zvigil-*` (see `flags.rs`) from `MIRIFLAGS`, then
/// `VIGILFLAGS`, then the command line (a later flag wins). Other words of `MIRIFLAGS` and
/// `VIGILFLAGS` are rustc flags (as under Miri) and are appended to `args`.
fn take_vigil_flags(args: &mut Vec<String>) -> Result<Options, String> {
    let mut opts = Options::default();
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
    let is_ours = |a: &str| a.starts_with("-Zvigil-") || a.starts_with("-Zmiri-");
    let mut flags = Vec::new();
    for var in ["MIRIFLAGS", "VIGILFLAGS"] {
        for word in std::env::var(var).unwrap_or_default().split_whitespace() {
            if is_ours(word) {
                flags.push(word.to_string());
            } else {
                args.push(word.to_string());
            }
        }
    }
    args.retain(|a| {
        if is_ours(a) {
            flags.push(a.clone());
            false
        } else {
            true
        }
    });
    for f in &flags {
        crate::flags::apply(&mut opts, f)?;
    }
    if opts.many_seeds.is_some() && opts.seed_given {
        return Err("only one of `-Zmiri-seed` and `-Zmiri-many-seeds` can be set".into());
    }
    Ok(opts)
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
    let file = args.iter().rev().find(|a| a.ends_with(".rs")).cloned().ok_or_else(|| format!("no input file given\n\n{}", usage()))?;
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
    // As under Miri, the program's name is its crate's: the file's stem.
    let argv0 = std::path::Path::new(&file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| file.clone());
    let mut argv = vec![argv0];
    argv.extend(program_args);
    run::interpret(rustc_args, argv, opts, None)
}

fn run_record(mut args: Vec<String>) -> Result<u8, String> {
    let program_args = split_program_args(&mut args);
    let mut opts = take_vigil_flags(&mut args)?;
    // cargo-vigil's runner names the directory cargo runs the program in.
    opts.run_cwd = std::env::var_os("VIGIL_RUN_CWD").map(PathBuf::from);
    // Under `cargo vigil`, the workspace's crates are the user's: reports point into them.
    let local = std::env::var(vigil_build::ENV_LOCAL_CRATES).unwrap_or_default();
    opts.user_relevant_crates.extend(local.split(',').filter(|c| !c.is_empty()).map(String::from));
    let path = args.first().ok_or_else(|| format!("run-record needs a record path\n\n{}", usage()))?;
    let record = vigil_build::InvocationRecord::read(&PathBuf::from(path))?;
    for (k, v) in &record.env {
        // SAFETY: single-threaded at this point; rustc has not started yet.
        unsafe { std::env::set_var(k, v) };
    }
    std::env::set_current_dir(&record.cwd).map_err(|e| format!("cannot enter {}: {e}", record.cwd.display()))?;
    let mut argv = vec![path.strip_suffix(".json").unwrap_or(path).to_string()];
    argv.extend(program_args);
    // Words of MIRIFLAGS/VIGILFLAGS that are not Vigil flags are rustc flags.
    let mut rustc_args = record.args.clone();
    rustc_args.extend(args[1..].iter().cloned());
    run::interpret(rustc_args, argv, opts, record.source.clone())
}
