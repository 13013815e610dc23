//! Renders a stop of the machine (UB, unsupported operation) as a rustc diagnostic.

use rustc_middle::ty::TyCtxt;
use vigil_machine::{Error, ErrorKind};

use crate::lower::Lowerer;
use crate::run::Options;

pub fn report<'tcx>(tcx: TyCtxt<'tcx>, lowerer: &Lowerer<'tcx>, e: &Error, opts: &Options) {
    let (title, help): (String, &[&str]) = match &e.kind {
        ErrorKind::UndefinedBehavior(msg) => (
            format!("Undefined Behavior: {msg}"),
            &[
                "this indicates a bug in the program: it performed an invalid operation, and caused Undefined Behavior",
                "see https://doc.rust-lang.org/nightly/reference/behavior-considered-undefined.html for further information",
            ],
        ),
        ErrorKind::Unsupported(msg) => (
            format!("unsupported operation: {msg}"),
            &["this is likely not a bug in the program; it indicates that the program performed an operation that Vigil does not support"],
        ),
        ErrorKind::Terminated(msg) => (format!("abnormal termination: {msg}"), &[]),
        ErrorKind::Exit(_) | ErrorKind::Abort => return,
    };
    // The primary span is the innermost frame in the user's crate, else the innermost frame.
    let frames: Vec<_> = e.backtrace.iter().map(|&(f, s)| (lowerer.fn_name_of(f), lowerer.span(s), lowerer.is_local(f))).collect();
    let primary = frames.iter().position(|f| f.2).unwrap_or(0);
    let mut diag = match frames.get(primary) {
        Some(&(_, span, _)) => tcx.dcx().struct_span_err(span, title.clone()),
        None => tcx.dcx().struct_err(title.clone()),
    };
    if let Some((_, span, _)) = frames.get(primary) {
        diag.span_label(*span, title.trim_start_matches("Undefined Behavior: ").to_string());
    }
    for h in help {
        diag.help(*h);
    }
    if opts.backtrace != "off" {
        let sm = tcx.sess.source_map();
        let mut note = String::from("BACKTRACE:");
        let shown = if opts.backtrace == "short" { &frames[primary..(primary + 1).min(frames.len())] } else { &frames[..] };
        for (name, span, _) in shown {
            let loc = sm.span_to_diagnostic_string(*span);
            note.push_str(&format!("\n    {name} at {loc}"));
        }
        diag.note(note);
    }
    diag.emit();
}
