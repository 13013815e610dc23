//! Inlining small callees (`vigil_ir::inline_calls`) changes nothing a user sees: programs
//! whose small functions are inlined print the same output and the same reports (with the
//! callee's frame in the backtrace) with and without `-Zvigil-no-inline`. Only allocation
//! and tag numbers may differ: the small callees are lowered ahead of their first call, and the
//! constants they import are numbered then; and the references to a local that an inlined
//! callee only reads let the local move into registers (`vigil_ir::promote_locals`), with
//! neither an allocation nor tags.

use std::path::PathBuf;
use std::process::{Command, Output};

mod common;
use common::without_alloc_and_tag_ids;

fn vigil(flags: &[&str], file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("run")
        .args(flags)
        .arg(file)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("vigil runs")
}

/// The programs written around inlined calls, with the flags they run with.
const PROGRAMS: &[(&str, &[&str])] = &[
    ("tests/ui/fail/inlined_leaf_use_after_free.rs", &[]),
    ("tests/ui/fail/inlined_nested_use_after_free.rs", &[]),
    ("tests/ui/fail/inlined_leaf_uninit_return.rs", &[]),
    ("tests/ui/fail/inlined_protector.rs", &[]),
    ("tests/ui/pass/inlined_leaf_calls.rs", &[]),
    ("tests/ui/fail/inlined_memory_local_dangling.rs", &[]),
    ("tests/ui/fail/inlined_memory_local_unwound.rs", &[]),
    ("tests/ui/fail/inlined_unwound_frame_local.rs", &[]),
    ("tests/ui/pass/inlined_memory_locals.rs", &[]),
    ("tests/ui/fail/inlined_protector_calls.rs", &[]),
    ("tests/ui/pass/inlined_protector_calls.rs", &[]),
    // Locals moved into registers (with inlining) or left in memory (without).
    ("tests/ui/pass/promoted_locals.rs", &[]),
    ("tests/ui/fail/promoted_local_uninit.rs", &[]),
    ("tests/ui/fail/promoted_local_written_while_shared.rs", &[]),
    ("tests/ui/fail/promoted_local_dangling.rs", &[]),
    ("tests/ui/pass/promoted_mut_locals.rs", &[]),
    ("tests/ui/fail/promoted_mut_local_uninit.rs", &[]),
    ("tests/ui/pass/promoted_mut_local_unwind.rs", &[]),
    // Inlined calls count as steps of the scheduler as calls do. (Without reuse of addresses
    // across threads: a thread that reuses an address another freed acquires its clock, which
    // changes what its relaxed loads may see, and the locals moved into registers with
    // inlining free no address.)
    ("tests/inline/interleave.rs", &["-Zmiri-seed=1", "-Zmiri-preemption-rate=0.3", "-Zmiri-address-reuse-cross-thread-rate=0"]),
    ("tests/inline/interleave.rs", &["-Zmiri-seed=2", "-Zmiri-preemption-rate=0.3", "-Zmiri-address-reuse-cross-thread-rate=0"]),
];

#[test]
fn runs_are_the_same_with_and_without_inlining() {
    for model in [&[][..], &["-Zvigil-tree-borrows"][..]] {
        for (file, flags) in PROGRAMS {
            let inlined = vigil(&[model, flags].concat(), file);
            let called = vigil(&[model, flags, &["-Zvigil-no-inline"]].concat(), file);
            let text =
                |o: &Output| (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), without_alloc_and_tag_ids(&o.stderr));
            assert_eq!(text(&inlined), text(&called), "{file} {model:?} {flags:?}");
        }
    }
}

#[test]
fn small_leaves_are_inlined_and_the_backtrace_shows_them() {
    // `main` calls `slot` twice: both calls are inlined, each with its own range of code.
    let out = vigil(&["-Zvigil-dump-ir=main"], "tests/ui/fail/inlined_leaf_uninit_return.rs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let main: Vec<&str> = stderr.lines().skip_while(|l| !l.starts_with("fn main:")).take_while(|l| !l.starts_with("error")).collect();
    let main = main.iter().enumerate().take_while(|&(i, l)| i == 0 || !l.starts_with("fn ")).map(|(_, l)| *l).collect::<Vec<_>>();
    assert_eq!(main.iter().filter(|l| l.trim_start().starts_with("inlined @")).count(), 2, "{stderr}");
    assert_eq!(main.iter().filter(|l| l.contains(": InlineEnter ")).count(), 2, "{stderr}");
    // The read after free is in the inlined `get`: its frame is on top, then the call in `main`.
    let out = vigil(&[], "tests/ui/fail/inlined_leaf_use_after_free.rs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let frames: Vec<&str> = stderr.lines().filter(|l| l.trim_start().starts_with("inside `")).collect();
    assert_eq!(frames.len(), 2, "{stderr}");
    assert!(frames[0].contains("inside `get` at tests/ui/fail/inlined_leaf_use_after_free.rs:5:"), "{stderr}");
    assert!(frames[1].contains("inside `main` at tests/ui/fail/inlined_leaf_use_after_free.rs:13:"), "{stderr}");
}
