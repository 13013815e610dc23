//! Register copies read at their sources (`vigil_ir::propagate_copies`) and operations on
//! constants computed at lowering (`vigil_ir::fold_constants`) change nothing a user sees:
//! every program of the ui fail suite, and the pass suite's programs about aliasing, inlined
//! calls and validity, print the same output and the same reports, tag numbers included,
//! with and without `-Zvigil-no-copy-propagation` (which turns both off). (The passes make
//! callees shorter, so more are inlined: this also checks that inlining them changes
//! nothing.)

mod common;
use common::{own_flags, programs, runs_differing_with};

#[test]
fn runs_are_the_same_with_and_without_copy_propagation() {
    let files = programs(&[
        ("tests/ui/fail", &[""]),
        ("tests/ui/pass", &["aliasing_", "unobserved_retags", "ref_wrappers", "inlined_", "tb_", "validity", "promoted"]),
    ]);
    assert!(files.len() > 250, "{files:?}");
    let jobs: Vec<_> = files.iter().map(|f| (f.clone(), own_flags(f))).collect();
    let differ = runs_differing_with(&jobs, "-Zvigil-no-copy-propagation");
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
