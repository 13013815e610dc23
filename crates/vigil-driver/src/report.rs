//! Renders a stop of the machine (UB, unsupported operation, leaks) as rustc diagnostics,
//! or as one JSON object per finding (`--message-format=json`).

use rustc_middle::ty::TyCtxt;
use rustc_span::Span;
use vigil_ir::{FnId, SpanId};
use vigil_machine::{Error, ErrorKind};

use crate::lower::Lowerer;
use crate::run::Options;

const UB_HELP: &[&str] = &[
    "this indicates a bug in the program: it performed an invalid operation, and caused Undefined Behavior",
    "see https://doc.rust-lang.org/nightly/reference/behavior-considered-undefined.html for further information",
];
const SB_HELP: &[&str] = &[
    "this indicates a potential bug in the program: it performed an invalid operation, but the Stacked Borrows rules it violated are still experimental",
    "see https://github.com/rust-lang/unsafe-code-guidelines/blob/master/wip/stacked-borrows.md for further information",
];
const TB_HELP: &[&str] = &[
    "this indicates a potential bug in the program: it performed an invalid operation, but the Tree Borrows rules it violated are still experimental",
    "see https://github.com/rust-lang/unsafe-code-guidelines/blob/master/wip/tree-borrows.md for further information",
];
const MEMORY_MODEL_HELP: &str = "see https://doc.rust-lang.org/nightly/std/sync/atomic/index.html#memory-model-for-atomic-accesses for more information about the Rust memory model";
const UNSUPPORTED_HELP: &[&str] =
    &["this is likely not a bug in the program; it indicates that the program performed an operation that Vigil does not support"];

const ISOLATION_HELP: &[&str] = &[
    "set `MIRIFLAGS=-Zmiri-disable-isolation` to disable isolation;",
    "or set `MIRIFLAGS=-Zmiri-isolation-error=warn` to make Vigil return an error code from isolated operations (if supported for that operation) and continue with a warning",
];

const RESOURCE_HELP: &[&str] = &[
    "the program ran out of a resource Vigil limits; this does not indicate a bug in the program unless it was not meant to use this much",
];

/// One finding, ready to render.
struct Finding {
    class: &'static str,
    title: String,
    label: String,
    help: &'static [&'static str],
    notes: Vec<String>,
    /// Extra `help:` lines (details of an aliasing-model refusal).
    notes_help: Vec<String>,
    primary: Option<Span>,
    backtrace: Vec<(String, Span)>,
    /// What explains the verdict: `help:` lines, with a span when they are about one.
    related: Vec<(String, Option<Span>)>,
}

pub fn report<'tcx>(tcx: TyCtxt<'tcx>, lowerer: &Lowerer<'tcx>, e: &Error, opts: &Options) {
    for f in findings(lowerer, e, opts) {
        if opts.json {
            eprintln!("{}", to_json(tcx, &f));
        } else {
            emit(tcx, &f);
        }
    }
}

fn findings<'tcx>(lowerer: &Lowerer<'tcx>, e: &Error, opts: &Options) -> Vec<Finding> {
    let site = |(f, s): (FnId, SpanId)| (lowerer.fn_name_of(f), lowerer.span(s));
    // The primary span is the innermost frame in the user's crate, else the innermost frame.
    let frames: Vec<_> = e.backtrace.iter().map(|&(f, s)| (site((f, s)), lowerer.is_local(f))).collect();
    let primary = frames.iter().position(|f| f.1).unwrap_or(0);
    let backtrace = short_backtrace(&frames, opts);
    let related: Vec<(String, Option<Span>)> = e.history.iter().map(|(label, at)| (label.clone(), at.map(|at| site(at).1))).collect();
    let primary_span = frames.get(primary).map(|f| f.0.1);
    let mut out = findings_of_kind(lowerer, e, opts, site, &frames, backtrace, related, primary_span);
    if let (Some(t), Some(first)) = (&e.thread, out.first_mut())
        && !matches!(e.kind, ErrorKind::Deadlock(_))
    {
        first.notes.insert(0, format!("this is on thread `{t}`"));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn findings_of_kind<'tcx>(
    lowerer: &Lowerer<'tcx>,
    e: &Error,
    opts: &Options,
    site: impl Fn((FnId, SpanId)) -> (String, Span),
    _frames: &[((String, Span), bool)],
    backtrace: Vec<(String, Span)>,
    related: Vec<(String, Option<Span>)>,
    primary_span: Option<Span>,
) -> Vec<Finding> {
    let one = |class, title: String, label: String, help| Finding {
        class,
        title,
        label,
        help,
        notes: Vec::new(),
        notes_help: Vec::new(),
        primary: primary_span,
        backtrace: backtrace.clone(),
        related: related.clone(),
    };
    match &e.kind {
        ErrorKind::UndefinedBehavior(msg) => vec![one("undefined-behavior", format!("Undefined Behavior: {msg}"), msg.clone(), UB_HELP)],
        ErrorKind::Aliasing(msg) => vec![one("aliasing", format!("Undefined Behavior: {msg}"), msg.clone(), SB_HELP)],
        ErrorKind::TreeBorrows(msg) => {
            // The first line is the title; the others explain it.
            let mut lines = msg.lines();
            let title = lines.next().unwrap_or_default().to_string();
            let mut f = one("aliasing", format!("Undefined Behavior: {title}"), "Undefined Behavior occurred here".into(), TB_HELP);
            f.notes_help = lines.map(String::from).collect();
            vec![f]
        }
        ErrorKind::Unsupported(msg) => {
            vec![one("unsupported", format!("unsupported operation: {msg}"), msg.clone(), UNSUPPORTED_HELP)]
        }
        ErrorKind::UnsupportedInIsolation(op) => {
            let msg = format!("{op} not available when isolation is enabled");
            vec![one("unsupported", format!("unsupported operation: {msg}"), msg, ISOLATION_HELP)]
        }
        ErrorKind::ResourceExhaustion(msg) => {
            vec![one("resource-exhaustion", format!("resource exhaustion: {msg}"), msg.clone(), RESOURCE_HELP)]
        }
        ErrorKind::Terminated(msg) => vec![one("termination", format!("abnormal termination: {msg}"), msg.clone(), &[])],
        ErrorKind::LinkError(msg) => vec![one("link", msg.clone(), "error occurred here".into(), &[])],
        ErrorKind::DataRace { msg, extra } => {
            let mut f = one("data-race", format!("Undefined Behavior: {msg}"), "(2) just happened here".into(), &[]);
            // The earlier access first, then the explanation, then what UB means.
            if let Some(extra) = extra {
                f.related.insert(1.min(f.related.len()), (extra.to_string(), None));
                f.related.insert(2.min(f.related.len()), (MEMORY_MODEL_HELP.to_string(), None));
            }
            f.related.extend(UB_HELP.iter().map(|h| (h.to_string(), None)));
            vec![f]
        }
        ErrorKind::LocalDeadlock => vec![one("deadlock", "a thread deadlocked".into(), "thread got stuck here".into(), &[])],
        ErrorKind::Deadlock(threads) => threads
            .iter()
            .map(|(name, bt)| {
                let frames: Vec<_> = bt.iter().map(|&(f, s)| (site((f, s)), lowerer.is_local(f))).collect();
                let primary = frames.iter().position(|f| f.1).unwrap_or(0);
                let mut f = one("deadlock", "the evaluated program deadlocked".into(), "thread got stuck here".into(), &[]);
                f.primary = frames.get(primary).map(|f| f.0.1);
                f.backtrace = short_backtrace(&frames, opts);
                f.related = Vec::new();
                f.notes.push(format!("this is on thread `{name}`"));
                f
            })
            .collect(),
        ErrorKind::ThreadLeak(running) => {
            let (name, origin) = running.first().cloned().unwrap_or_default();
            vec![Finding {
                class: "memory-leak",
                title: "the main thread terminated without waiting for all remaining threads".into(),
                label: format!("thread `{name}`, spawned here, was still running"),
                help: &[],
                notes: vec!["set `-Zvigil-ignore-leaks` to disable this check".into()],
                notes_help: Vec::new(),
                primary: origin.map(|o| site(o).1),
                backtrace: Vec::new(),
                related: running[1.min(running.len())..]
                    .iter()
                    .map(|(n, o)| (format!("thread `{n}` was still running too, spawned here:"), o.map(|o| site(o).1)))
                    .collect(),
            }]
        }
        ErrorKind::MemoryLeak(leaks) => {
            let mut out: Vec<Finding> = leaks
                .iter()
                .map(|l| {
                    let title =
                        format!("memory leaked: alloc{} ({}, size: {}, align: {}), allocated here:", l.alloc, l.kind, l.size, l.align);
                    Finding {
                        class: "memory-leak",
                        label: String::new(),
                        help: &[],
                        notes: Vec::new(),
                        notes_help: Vec::new(),
                        primary: l.site.map(|s| site(s).1),
                        backtrace: Vec::new(),
                        related: Vec::new(),
                        title,
                    }
                })
                .collect();
            if let Some(last) = out.last_mut() {
                last.notes.push("set `-Zvigil-ignore-leaks` to disable the memory leak checker".into());
            }
            out
        }
        ErrorKind::Abort => {
            let msg = "the program aborted execution";
            vec![one("termination", format!("abnormal termination: {msg}"), "abnormal termination occurred here".into(), &[])]
        }
        ErrorKind::Exit(_) => Vec::new(),
    }
}

/// The backtrace as the options ask: without std's runtime frames (short, the default),
/// all frames, or none.
fn short_backtrace(frames: &[((String, Span), bool)], opts: &Options) -> Vec<(String, Span)> {
    match opts.backtrace.as_str() {
        "off" => Vec::new(),
        "full" => frames.iter().map(|f| f.0.clone()).collect(),
        // Short, as Miri prunes: when the user's code is on the stack, the frames above the
        // runtime's `__rust_begin_short_backtrace` (std's for `main`, libtest's for a test),
        // less the runtime's frames left below the outermost frame of the user's code.
        _ => {
            let mut kept: Vec<&((String, Span), bool)> = frames.iter().collect();
            if frames.iter().any(|f| f.1) {
                kept = frames.iter().take_while(|f| !f.0.0.contains("__rust_begin_short_backtrace")).collect();
                while kept.len() > 1 && kept.last().is_some_and(|f| !f.1) {
                    kept.pop();
                }
            }
            let kept: Vec<(String, Span)> = kept.into_iter().map(|f| f.0.clone()).collect();
            kept
        }
    }
}

/// A warning while the program runs, at the innermost frame of the user's code (with the
/// short backtrace, when one is given).
pub fn warn(lowerer: &Lowerer<'_>, title: &str, label: &str, backtrace: &[(FnId, SpanId)]) {
    let frames: Vec<_> = backtrace.iter().map(|&(f, s)| ((lowerer.fn_name_of(f), lowerer.span(s)), lowerer.is_local(f))).collect();
    let primary = frames.iter().find(|f| f.1).or(frames.first()).map(|f| f.0.1);
    let mut diag = match primary {
        Some(span) => lowerer.tcx.dcx().struct_span_warn(span, title.to_string()),
        None => lowerer.tcx.dcx().struct_warn(title.to_string()),
    };
    if let (Some(span), false) = (primary, label.is_empty()) {
        diag.span_label(span, label.to_string());
    }
    let bt = short_backtrace(&frames, &Options::default());
    if !bt.is_empty() {
        let sm = lowerer.tcx.sess.source_map();
        let mut note = String::from("BACKTRACE:");
        for (name, span) in &bt {
            note.push_str(&format!("\n    inside `{name}` at {}", sm.span_to_diagnostic_string(*span)));
        }
        diag.note(note);
    }
    diag.emit();
}

fn emit(tcx: TyCtxt<'_>, f: &Finding) {
    let mut diag = match f.primary {
        Some(span) => tcx.dcx().struct_span_err(span, f.title.clone()),
        None => tcx.dcx().struct_err(f.title.clone()),
    };
    if let (Some(span), false) = (f.primary, f.label.is_empty()) {
        diag.span_label(span, f.label.clone());
    }
    for h in f.help {
        diag.help(*h);
    }
    for h in &f.notes_help {
        diag.help(h.clone());
    }
    for (label, span) in &f.related {
        match span {
            Some(span) if !span.is_dummy() => diag.span_help(*span, label.clone()),
            Some(_) => continue,
            None => diag.help(label.clone()),
        };
    }
    if !f.backtrace.is_empty() {
        let sm = tcx.sess.source_map();
        let mut note = String::from("BACKTRACE:");
        for (name, span) in &f.backtrace {
            note.push_str(&format!("\n    inside `{name}` at {}", sm.span_to_diagnostic_string(*span)));
        }
        diag.note(note);
    }
    for n in &f.notes {
        diag.note(n.clone());
    }
    diag.emit();
}

fn to_json(tcx: TyCtxt<'_>, f: &Finding) -> String {
    let sm = tcx.sess.source_map();
    let span = |s: Span| {
        let lo = sm.lookup_char_pos(s.lo());
        let hi = sm.lookup_char_pos(s.hi());
        format!(
            "{{\"file\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{}}}",
            json_str(&sm.filename_for_diagnostics(&lo.file.name).to_string()),
            lo.line,
            lo.col_display + 1,
            hi.line,
            hi.col_display + 1
        )
    };
    let backtrace: Vec<String> =
        f.backtrace.iter().map(|(name, s)| format!("{{\"function\":{},\"span\":{}}}", json_str(name), span(*s))).collect();
    let related: Vec<String> = f
        .related
        .iter()
        .map(|(label, s)| format!("{{\"label\":{},\"span\":{}}}", json_str(label), s.map(span).unwrap_or_else(|| "null".into())))
        .collect();
    format!(
        "{{\"class\":{},\"message\":{},\"span\":{},\"backtrace\":[{}],\"related\":[{}]}}",
        json_str(f.class),
        json_str(&f.title),
        f.primary.map(span).unwrap_or_else(|| "null".into()),
        backtrace.join(","),
        related.join(",")
    )
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
