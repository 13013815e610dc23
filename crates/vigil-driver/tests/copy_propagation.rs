//! Register copies read at their sources (`vigil_ir::propagate_copies`) change nothing a user
//! sees: every program of the ui fail suite, and the pass suite's programs about aliasing,
//! inlined calls and validity, print the same output and the same reports, tag numbers
//! included, with and without `-Zvigil-no-copy-propagation`. (The pass makes callees
//! shorter, so more are inlined: this also checks that inlining them changes nothing.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::without_alloc_ids;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vigil(flags: &[String], file: &Path) -> Output {
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
fn own_flags(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().filter_map(|l| l.strip_prefix("//@compile-flags:")).flat_map(|f| f.split_whitespace().map(String::from)).collect()
}

fn programs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (dir, prefixes) in [
        ("tests/ui/fail", &[""][..]),
        ("tests/ui/pass", &["aliasing_", "unobserved_retags", "ref_wrappers", "inlined_", "tb_", "validity", "promoted"][..]),
    ] {
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

#[test]
fn runs_are_the_same_with_and_without_copy_propagation() {
    let files = programs();
    assert!(files.len() > 250, "{files:?}");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let differ = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let flags = own_flags(file);
                    let text = |o: Output| (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), without_alloc_ids(&o.stderr));
                    let with = text(vigil(&flags, file));
                    let without = text(vigil(&[flags.clone(), vec!["-Zvigil-no-copy-propagation".to_string()]].concat(), file));
                    if with != without {
                        differ.lock().unwrap().push(format!("{} {flags:?}:\n{with:?}\n{without:?}", file.display()));
                    }
                }
            });
        }
    });
    let differ = differ.into_inner().unwrap();
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
