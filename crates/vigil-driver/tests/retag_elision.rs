//! Retags made as just their access (`vigil_ir::mark_unobserved_retags`) change nothing a
//! user sees: the aliasing programs of the ui suites print the same output and the same
//! reports, tag numbers included, with and without `-Zvigil-no-retag-elision`, under both
//! aliasing models.

mod common;
use common::{own_flags, programs, runs_differing_with};

#[test]
fn runs_are_the_same_with_and_without_retag_elision() {
    let files = programs(&[
        ("tests/ui/fail", &["aliasing_", "tb_", "inlined_", "borrow_"]),
        ("tests/ui/pass", &["aliasing_", "unobserved_retags", "ref_wrappers", "inlined_", "tb_"]),
    ]);
    assert!(files.len() > 30, "{files:?}");
    let jobs: Vec<_> = files
        .iter()
        .flat_map(|f| [vec![], vec!["-Zvigil-tree-borrows".to_string()]].map(|model| (f.clone(), [own_flags(f), model].concat())))
        .collect();
    let differ = runs_differing_with(&jobs, "-Zvigil-no-retag-elision");
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
