//! Helpers shared by the integration tests that compare two runs of the same program.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (where the tests' programs are named from).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `vigil run FLAGS FILE` from the root, without backtraces of Vigil's own.
pub fn vigil(flags: &[String], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("run")
        .args(flags)
        .arg(file)
        .current_dir(root())
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("vigil runs")
}

/// The program's own flags (its unconditional `//@compile-flags:` headers).
pub fn own_flags(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().filter_map(|l| l.strip_prefix("//@compile-flags:")).flat_map(|f| f.split_whitespace().map(String::from)).collect()
}

/// The `.rs` programs of each directory whose names start with one of its prefixes, sorted.
pub fn programs(dirs: &[(&str, &[&str])]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (dir, prefixes) in dirs {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".rs") && prefixes.iter().any(|p| name.starts_with(p)) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs each `(file, flags)` job twice, the second time with `flag` too, two jobs at a time,
/// and describes every job whose runs differ in exit code, stdout or stderr (allocation
/// numbers aside).
pub fn runs_differing_with(jobs: &[(PathBuf, Vec<String>)], flag: &str) -> Vec<String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let differ = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((file, flags)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let text = |o: Output| (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), without_alloc_ids(&o.stderr));
                    let plain = text(vigil(flags, file));
                    let with = text(vigil(&[flags.clone(), vec![flag.to_string()]].concat(), file));
                    if plain != with {
                        differ.lock().unwrap().push(format!("{} {flags:?}:\n{plain:?}\n{with:?}", file.display()));
                    }
                }
            });
        }
    });
    differ.into_inner().unwrap()
}

/// `alloc123` as `ALLOC`: allocation numbers differ between runs that lower functions in
/// another order (inlining lowers small callees ahead), and nothing else should.
pub fn without_alloc_ids(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut out = String::new();
    let mut rest = &*text;
    while let Some(i) = rest.find("alloc") {
        out.push_str(&rest[..i]);
        let digits = rest[i + 5..].bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(if digits > 0 { "ALLOC" } else { "alloc" });
        rest = &rest[i + 5 + digits..];
    }
    out.push_str(rest);
    out
}

/// `without_alloc_ids`, and `<123>` as `<TAG>`: a run that moves other locals out of memory
/// (inlining lets `vigil_ir::promote_locals` take more) also makes other tags.
pub fn without_alloc_and_tag_ids(text: &[u8]) -> String {
    let text = without_alloc_ids(text);
    let mut out = String::new();
    let mut rest = &*text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('>') {
            out.push_str("TAG");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}
