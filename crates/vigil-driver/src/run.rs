//! Runs rustc up to analysis, then interprets the crate's entry point.

use rustc_driver::Compilation;
use rustc_middle::ty::{self, Instance, Ty, TyCtxt};
use rustc_span::DUMMY_SP;
use vigil_machine::{Config, ErrorKind, Isolation, Machine, OsConfig, SchedConfig};

use std::cell::RefCell;

use vigil_ir::FnId;

use crate::lower::{Lowerer, LowererCell};
use crate::report;

#[derive(Clone, Debug)]
pub struct Options {
    pub seed: u64,
    pub symbolic_alignment: bool,
    pub strict_provenance: bool,
    pub ignore_leaks: bool,
    pub disable_validation: bool,
    pub disable_stacked_borrows: bool,
    pub tree_borrows: bool,
    /// Findings as JSON objects (one per line) instead of rustc diagnostics.
    pub json: bool,
    pub backtrace: String,
    /// Directory the program runs in, when it differs from where rustc ran (cargo-vigil).
    pub run_cwd: Option<std::path::PathBuf>,
    /// Whether `seed` was given (it cannot be combined with `many_seeds`).
    pub seed_given: bool,
    pub preemption_rate: f64,
    pub fixed_schedule: bool,
    pub cmpxchg_weak_failure_rate: f64,
    pub num_cpus: u32,
    pub address_reuse_rate: f64,
    pub address_reuse_cross_thread_rate: f64,
    pub disable_data_race_detector: bool,
    pub disable_weak_memory: bool,
    /// Run once per seed in this range (in parallel), reporting the failing seeds.
    pub many_seeds: Option<std::ops::Range<u64>>,
    pub many_seeds_keep_going: bool,
    /// Check alignment at all (`-Zmiri-disable-alignment-check` turns it off).
    pub alignment_check: bool,
    /// Tree Borrows: protected `&mut`/`Box` arguments start `Unique` (written).
    pub tb_implicit_writes: bool,
    /// Tree Borrows: `UnsafeCell` bytes tracked precisely (else the whole pointee).
    pub tb_precise_interior_mut: bool,
    pub force_intrinsic_fallback: bool,
    /// `sysconf(_SC_PAGESIZE)`.
    pub page_size: u64,
    /// Drop the program's writes to stdout and stderr.
    pub mute_output: bool,
    /// Crates whose code reports point at, besides the local crate.
    pub user_relevant_crates: Vec<String>,
    /// `-Zvigil-dump-ir=NAME`.
    pub dump_ir: Option<String>,
    /// `-Zvigil-no-inline`.
    pub no_inline: bool,
    /// `-Zvigil-no-retag-elision`.
    pub no_retag_elision: bool,
    /// `-Zvigil-no-copy-propagation`.
    pub no_copy_propagation: bool,
    /// Environment variables set for the program (`-Zmiri-env-set`).
    pub env_set: Vec<(String, String)>,
    /// Host environment variables the program sees under isolation (`-Zmiri-env-forward`).
    pub env_forward: Vec<String>,
    /// Whether the program may use the host (`-Zmiri-disable-isolation`,
    /// `-Zmiri-isolation-error`).
    pub isolation: Isolation,
    /// Host file reads and writes may be cut short (off: `-Zmiri-no-short-fd-operations`).
    pub short_fd_ops: bool,
    /// `-Zvigil-memory-limit` (else a quarter of the host's memory).
    pub memory_limit: Option<u64>,
    /// Float choices (`-Zmiri-deterministic-floats`, the extra rounding error).
    pub floats: vigil_machine::float::FloatConfig,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            symbolic_alignment: false,
            strict_provenance: false,
            ignore_leaks: false,
            disable_validation: false,
            disable_stacked_borrows: false,
            tree_borrows: false,
            json: false,
            backtrace: "short".into(),
            run_cwd: None,
            seed_given: false,
            preemption_rate: 0.01,
            fixed_schedule: false,
            cmpxchg_weak_failure_rate: 0.8,
            num_cpus: 1,
            address_reuse_rate: 0.5,
            address_reuse_cross_thread_rate: 0.1,
            disable_data_race_detector: false,
            disable_weak_memory: false,
            many_seeds: None,
            many_seeds_keep_going: false,
            alignment_check: true,
            tb_implicit_writes: false,
            tb_precise_interior_mut: true,
            force_intrinsic_fallback: false,
            page_size: 4096,
            mute_output: false,
            user_relevant_crates: Vec::new(),
            dump_ir: None,
            no_inline: false,
            no_retag_elision: false,
            no_copy_propagation: false,
            env_set: Vec::new(),
            env_forward: Vec::new(),
            isolation: Isolation::default(),
            short_fd_ops: true,
            memory_limit: None,
            floats: Default::default(),
        }
    }
}

/// Exit code used when Vigil stops the program for undefined behavior.
pub const UB_EXIT_CODE: u8 = 1;

struct Callbacks {
    argv: Vec<String>,
    opts: Options,
    exit: Option<u8>,
    /// A doctest's source (rustdoc handed it to the test builder on stdin).
    source: Option<String>,
}

impl rustc_driver::Callbacks for Callbacks {
    fn config(&mut self, config: &mut rustc_interface::interface::Config) {
        if let Some(input) = self.source.take() {
            // Named as rustc names a doctest read from stdin, so that spans (and panic
            // locations) point into the documented file.
            let name = match (std::env::var("UNSTABLE_RUSTDOC_TEST_PATH"), std::env::var("UNSTABLE_RUSTDOC_TEST_LINE")) {
                (Ok(path), Ok(line)) => {
                    rustc_span::FileName::doc_test_source_code(std::path::PathBuf::from(path), line.parse().unwrap_or(0))
                }
                _ => rustc_span::FileName::anon_source_code(&input),
            };
            config.input = rustc_session::config::Input::Str { name, input };
        }
    }

    fn after_analysis<'tcx>(&mut self, _: &rustc_interface::interface::Compiler, tcx: TyCtxt<'tcx>) -> Compilation {
        if tcx.dcx().has_errors().is_some() {
            return Compilation::Stop;
        }
        self.exit = Some(match self.opts.many_seeds.clone() {
            Some(seeds) => crate::many_seeds::run(seeds, self.opts.many_seeds_keep_going, |seed| {
                let opts = Options { seed, ..self.opts.clone() };
                let code = interpret_entry(tcx, &self.argv, &opts);
                end_of_forked_run(tcx);
                code
            }),
            // A libtest harness: its tests spread over worker processes, when that is possible.
            None if tcx.sess.opts.test => match crate::parallel_tests::plan(&self.argv) {
                Some(plan) => crate::parallel_tests::run(tcx, &self.argv, &self.opts, plan)
                    .unwrap_or_else(|| interpret_entry(tcx, &self.argv, &self.opts)),
                None => interpret_entry(tcx, &self.argv, &self.opts),
            },
            None => interpret_entry(tcx, &self.argv, &self.opts),
        });
        Compilation::Stop
    }
}

/// Compiles with `rustc_args` and interprets the entry point with `argv`. `source`: the
/// crate's source when `rustc_args` name it `-` (a doctest).
pub fn interpret(rustc_args: Vec<String>, argv: Vec<String>, opts: Options, source: Option<String>) -> Result<u8, String> {
    let mut all = vec!["vigil".to_string()];
    // rustc would read `-` from stdin; the source is given to it in `Callbacks::config`
    // instead (the program's stdin stays the program's).
    all.extend(rustc_args.into_iter().map(|a| if a == "-" && source.is_some() { "/dev/null".to_string() } else { a }));
    let mut cb = Callbacks { argv, opts, exit: None, source };
    // Without an exit code from the interpreter, compilation failed (rustc reported why).
    let _ = rustc_driver::catch_with_exit_code(|| rustc_driver::run_compiler(&all, &mut cb));
    Ok(cb.exit.unwrap_or(1))
}

/// What the interpreter starts with: std's runtime entry `lang_start` with the user's `main`,
/// or (for `#![no_main]` programs, as under Miri) the user's `#[no_mangle] fn miri_start(argc,
/// argv) -> isize`, called directly.
enum Entry<'tcx> {
    LangStart { start: Instance<'tcx>, main: Instance<'tcx>, sigpipe: u8 },
    MiriStart(Instance<'tcx>),
}

/// Whether the crate declares the debugging hooks that name tags or print an allocation's
/// tag tree (`miri_pointer_name`, `miri_print_borrow_state`): its trees then get a node for
/// every tag (`Config::tb_cell_aliases`).
fn prints_tag_trees(tcx: TyCtxt<'_>) -> bool {
    tcx.hir_crate_items(())
        .foreign_items()
        .any(|item| matches!(tcx.item_name(item.owner_id.to_def_id()).as_str(), "miri_pointer_name" | "miri_print_borrow_state"))
}

fn find_entry<'tcx>(tcx: TyCtxt<'tcx>) -> Option<Entry<'tcx>> {
    let typing_env = ty::TypingEnv::fully_monomorphized();
    if let Some((main_id, rustc_session::config::EntryFnType::Main { sigpipe })) = tcx.entry_fn(()) {
        let main_ret = tcx.fn_sig(main_id).instantiate_identity().skip_norm_wip().output();
        let main_ret = tcx.normalize_erasing_late_bound_regions(typing_env, main_ret);
        let start_def = tcx.lang_items().start_fn().expect("std provides the `start` lang item");
        let start = Instance::expect_resolve(tcx, typing_env, start_def, tcx.mk_args(&[main_ret.into()]), DUMMY_SP);
        let main = Instance::resolve_for_fn_ptr(tcx, typing_env, main_id, ty::GenericArgs::empty()).expect("main resolves");
        return Some(Entry::LangStart { start, main, sigpipe });
    }
    let def = tcx.hir_crate_items(()).definitions().map(|d| d.to_def_id()).find(|&d| {
        matches!(tcx.def_kind(d), rustc_hir::def::DefKind::Fn)
            && tcx.item_name(d).as_str() == "miri_start"
            && tcx.codegen_fn_attrs(d).flags.contains(rustc_middle::middle::codegen_fn_attrs::CodegenFnAttrFlags::NO_MANGLE)
    })?;
    // The entry point is called as `fn(isize, *const *const u8) -> isize`.
    let sig = tcx.fn_sig(def).instantiate_identity().skip_norm_wip().skip_binder();
    let u8_ptr_ptr = Ty::new_imm_ptr(tcx, Ty::new_imm_ptr(tcx, tcx.types.u8));
    if sig.inputs() != [tcx.types.isize, u8_ptr_ptr] || sig.output() != tcx.types.isize {
        tcx.dcx().span_err(
            tcx.def_span(def),
            "`miri_start` must have the following signature:\n       fn miri_start(argc: isize, argv: *const *const u8) -> isize",
        );
        return None;
    }
    Some(Entry::MiriStart(Instance::mono(tcx, def)))
}

/// What rustc prints at the end of a session with errors (`aborting due to ...`), for a
/// process forked after analysis: it ends without returning to rustc.
pub fn end_of_forked_run(tcx: TyCtxt<'_>) {
    if tcx.dcx().has_errors().is_some() {
        tcx.dcx().print_error_count();
    }
}

fn interpret_entry<'tcx>(tcx: TyCtxt<'tcx>, argv: &[String], opts: &Options) -> u8 {
    run_program(tcx, argv, opts, false).0
}

/// Interprets the program once with `argv`; returns its exit code and, with `capture`, what it
/// wrote to stdout (instead of printing it).
pub fn run_program<'tcx>(tcx: TyCtxt<'tcx>, argv: &[String], opts: &Options, capture: bool) -> (u8, Vec<u8>) {
    let lowerer = new_lowerer(tcx, opts);
    match prepare(tcx, &lowerer, argv, opts, capture) {
        Ok(mut p) => {
            let code = p.execute(tcx, &lowerer, opts);
            (code, std::mem::take(&mut p.machine.os.captured))
        }
        Err(code) => (code, Vec::new()),
    }
}

/// A quarter of the host's memory: what the program may allocate when no limit is given
/// (Vigil keeps more than a byte per byte of the program's memory: its initialization,
/// provenance and aliasing state).
fn default_memory_limit() -> u64 {
    let total_kib = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines().find_map(|l| l.strip_prefix("MemTotal:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()))
    });
    total_kib.map_or(4 << 30, |k| k * 1024 / 4)
}

/// A lowerer configured by `opts`.
pub fn new_lowerer<'tcx>(tcx: TyCtxt<'tcx>, opts: &Options) -> LowererCell<'tcx> {
    let mut lowerer = Lowerer::new(tcx, !opts.disable_validation);
    lowerer.force_intrinsic_fallback = opts.force_intrinsic_fallback;
    lowerer.alignment_check = opts.alignment_check;
    lowerer.user_relevant_crates = opts.user_relevant_crates.clone();
    lowerer.dump_ir = opts.dump_ir.clone();
    LowererCell(RefCell::new(lowerer))
}

/// The program set up to run: a machine with its arguments, not started yet.
pub struct Prepared<'a> {
    pub machine: Machine<'a>,
    entry: FnId,
    main_fn: Option<FnId>,
    sigpipe: u8,
}

/// Sets up a machine for the crate's entry point with `argv`; `Err` carries the exit code
/// when there is nothing to run (the error is emitted).
pub fn prepare<'a, 'tcx>(
    tcx: TyCtxt<'tcx>,
    lowerer: &'a LowererCell<'tcx>,
    argv: &[String],
    opts: &Options,
    capture: bool,
) -> Result<Prepared<'a>, u8> {
    let Some(entry) = find_entry(tcx) else {
        if tcx.dcx().has_errors().is_none() {
            tcx.dcx().err("Vigil can only run programs that have a main function (or a `#[no_mangle] fn miri_start`)");
        }
        // An error in the program, as rustc's own errors are (exit code 1).
        return Err(1);
    };
    if let Some(dir) = &opts.run_cwd
        && let Err(e) = std::env::set_current_dir(dir)
    {
        tcx.dcx().err(format!("cannot enter {}: {e}", dir.display()));
        return Err(2);
    }
    // Validity programs also find the references the aliasing model retags; without
    // validation nothing is retagged (as under Miri), so the aliasing model is off too.
    let aliasing = !opts.disable_stacked_borrows && !opts.disable_validation;
    let (entry, main_fn, sigpipe) = {
        let mut l = lowerer.0.borrow_mut();
        match entry {
            Entry::LangStart { start, main, sigpipe } => (l.intern(start), Some(l.intern(main)), sigpipe),
            Entry::MiriStart(f) => (l.intern(f), None, 0),
        }
    };
    // Under isolation the program sees only the variables forwarded to it, else the host's.
    let mut env: Vec<(String, String)> =
        std::env::vars().filter(|(k, _)| opts.isolation == Isolation::Allow || opts.env_forward.contains(k)).collect();
    for (k, v) in &opts.env_set {
        env.retain(|(name, _)| name != k);
        env.push((k.clone(), v.clone()));
    }
    let config = Config {
        os: OsConfig {
            args: argv.to_vec(),
            env,
            seed: opts.seed,
            page_size: opts.page_size,
            mute_output: opts.mute_output,
            capture_stdout: capture,
            isolation: opts.isolation,
            short_fd_ops: opts.short_fd_ops,
        },
        symbolic_alignment: opts.symbolic_alignment,
        alignment_check: opts.alignment_check,
        tb_implicit_writes: opts.tb_implicit_writes,
        tb_precise_interior_mut: opts.tb_precise_interior_mut,
        strict_provenance: opts.strict_provenance,
        check_leaks: !opts.ignore_leaks,
        stacked_borrows: aliasing,
        tree_borrows: opts.tree_borrows,
        validation: !opts.disable_validation,
        sched: SchedConfig {
            seed: opts.seed,
            preemption_rate: opts.preemption_rate,
            fixed: opts.fixed_schedule,
            cmpxchg_weak_failure_rate: opts.cmpxchg_weak_failure_rate,
        },
        num_cpus: opts.num_cpus,
        data_race: !opts.disable_data_race_detector,
        memory_limit: opts.memory_limit.unwrap_or_else(default_memory_limit),
        weak_memory: !opts.disable_weak_memory && !opts.disable_data_race_detector,
        address_reuse_rate: opts.address_reuse_rate,
        address_reuse_cross_thread_rate: opts.address_reuse_cross_thread_rate,
        floats: opts.floats,
        inline: !opts.no_inline,
        unobserved_retags: !opts.no_retag_elision,
        copy_propagation: !opts.no_copy_propagation,
        tb_cell_aliases: !opts.no_retag_elision && !prints_tag_trees(tcx),
    };
    let mut machine = Machine::new(lowerer, config);
    let ctors = lowerer.0.borrow_mut().global_ctors();
    machine.set_global_ctors(ctors);
    Ok(Prepared { machine, entry, main_fn, sigpipe })
}

impl Prepared<'_> {
    /// Lowers `instances` before the program starts, so that processes forked from here find
    /// them lowered.
    pub fn prelower<'tcx>(&mut self, lowerer: &LowererCell<'tcx>, instances: &[Instance<'tcx>]) {
        for &i in instances {
            let f = lowerer.0.borrow_mut().intern(i);
            self.machine.prelower(f);
        }
    }

    /// Runs the entry point to its end; returns the exit code (after reporting what stopped
    /// the program, if something did).
    pub fn execute<'tcx>(&mut self, tcx: TyCtxt<'tcx>, lowerer: &LowererCell<'tcx>, opts: &Options) -> u8 {
        let machine = &mut self.machine;
        let argc = machine.os.config.args.len() as u64;
        let argv_ptr = machine.os.argv;
        let mut args = Vec::new();
        if let Some(main_fn) = self.main_fn {
            let main_ptr = machine.mem.fn_ptr(main_fn);
            args.push((main_ptr.addr.to_le_bytes().to_vec(), vec![(0, vigil_machine::ProvPart::whole(main_ptr.prov))]));
        }
        args.push((argc.to_le_bytes().to_vec(), vec![]));
        args.push((argv_ptr.addr.to_le_bytes().to_vec(), vec![(0, vigil_machine::ProvPart::whole(argv_ptr.prov))]));
        if self.main_fn.is_some() {
            args.push((vec![self.sigpipe], vec![]));
        }
        match machine.run(self.entry, &args) {
            Ok(code) => code as i32 as u8,
            Err(e) => match e.kind {
                ErrorKind::Exit(code) => code as u8,
                _ => {
                    report::report(tcx, &lowerer.0.borrow(), &e, opts);
                    UB_EXIT_CODE
                }
            },
        }
    }
}
