#![feature(float_minimum_maximum, float_gamma, float_erf)]
//! Vigil's machine: executes lowered functions over a memory with provenance.
//!
//! Architecture invariant: no rustc types. Functions are requested from the frontend
//! (through [`Frontend`]) the first time they are called and cached for the whole run.

mod arith;
pub mod borrows;
mod bytes;
mod call;
pub(crate) mod concurrency;
mod error;
pub mod float;
mod gc;
mod id_set;
mod interp;
mod intrinsics;
mod memory;
mod os;
mod place;
pub mod prov_map;
mod retag;
mod reuse;
mod shims;
mod simd;
mod site;
mod spare;
mod startup;
mod stats;
mod va_list;
mod validate;
mod young;

pub use concurrency::ThreadId;
pub use concurrency::scheduler::SchedConfig;
pub use error::{Error, ErrorKind, Leak, Res};
pub use memory::{AllocKind, Allocation, Memory, Prov, Ptr};
pub use os::OsConfig;
pub use prov_map::ProvPart;
pub use shims::isolation::{Isolation, RejectWith};
pub use startup::GlobalCtor;

use vigil_ir::{FnId, Function, SpanId, Unwind};

/// What the machine needs from the compiler side.
pub trait Frontend {
    /// Lowers function `f`; may import constants into `mem`. (Shared, so that the driver can
    /// name functions and spans in a report while the machine exists; a frontend keeps its
    /// tables in a cell.)
    fn lower(&self, f: FnId, mem: &mut Memory) -> Result<Function, Error>;
    /// A human-readable name of `f`, for backtraces.
    fn fn_name(&self, f: FnId) -> String;
    /// Where `span` is: (file name, line, column), for the program's own backtraces.
    fn span_location(&self, span: SpanId) -> (String, u32, u32);
    /// Whether `f` belongs to the crate being run (reports point at the user's code).
    fn is_local(&self, f: FnId) -> bool;
    /// The function `dlsym` finds for `name`: one of the emulated C functions, declared by some
    /// crate of the program, else none.
    fn dlsym(&self, name: &str) -> Option<FnId>;
    /// Shows a warning while the program runs (e.g. a call refused by isolation): its title,
    /// the label of its primary span, and the backtrace (innermost first; may be empty).
    fn warn(&self, title: &str, label: &str, backtrace: &[(FnId, SpanId)]);
    /// Why a call through a fn pointer expecting signature `caller` may not reach a
    /// function of signature `callee` (`None`: compatible), and where it is reported.
    fn abi_mismatch(&self, caller: vigil_ir::SigId, callee: vigil_ir::SigId) -> Option<(String, CalleeSite)>;
    /// The span of `site` in function `f`'s definition (a mismatch between a call and its
    /// callee is reported in the callee, as the reference interpreter does).
    fn callee_site(&self, f: FnId, site: CalleeSite) -> SpanId;
    /// Whether a vtable made for trait `actual` may not stand where one of trait `expected`
    /// is (ids of the frontend's vtable traits): the two traits' names, or `None` when it may.
    fn vtable_mismatch(&self, actual: u32, expected: u32) -> Option<(String, String)>;
    /// How reports name type `ty` (of a validity check).
    fn type_name(&self, ty: vigil_ir::TyName) -> String;
    /// Whether `f` looks small enough (by its source body), so that lowering it
    /// before its first call, to inline it, is likely to pay: the machine decides on the
    /// lowered body (`Function::inlinable`).
    fn inline_hint(&self, f: FnId) -> bool;
    /// Whether `f`, called directly, begins with the function-entry retag of its first
    /// parameter, a reference (`vigil_ir::mark_retags_into_callee`): true only of bodies
    /// lowered with their parameters' validations first, never of intrinsics, foreign
    /// functions, shims or virtual calls.
    fn retags_receiver(&self, f: FnId) -> bool;
    /// `f` is ready to run as `func`, after the machine's inlining (`-Zvigil-dump-ir`).
    fn lowered(&self, f: FnId, func: &Function);
}

/// Where a mismatch between a call and the function it reaches is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalleeSite {
    /// At the call (the calling conventions differ).
    Call,
    /// The callee's header (it takes fewer arguments than passed).
    Header,
    /// The callee's parameter number `n` (0-based).
    Param(u32),
    /// The callee's return type.
    Return,
}

/// An argument of the entry function: its bytes and the provenance of the pointers in them.
pub type ArgValue = (Vec<u8>, crate::prov_map::ProvList);

/// What the machine checks, set from the command line.
#[derive(Clone, Debug)]
pub struct Config {
    pub os: OsConfig,
    /// Check alignment against the allocation's alignment and offset instead of the
    /// address, so code that relies on an address happening to be aligned is caught.
    pub symbolic_alignment: bool,
    /// Check alignment at all (off: `-Zmiri-disable-alignment-check`).
    pub alignment_check: bool,
    /// Tree Borrows: protected `&mut` and `Box` arguments start `Unique` (written).
    pub tb_implicit_writes: bool,
    /// Tree Borrows: `UnsafeCell` bytes are tracked one by one (off: the whole pointee of an
    /// interior-mutable reference is a cell).
    pub tb_precise_interior_mut: bool,
    /// Integer-to-pointer casts are errors instead of picking up exposed provenance.
    pub strict_provenance: bool,
    /// Report heap memory that is unreachable when the program ends.
    pub check_leaks: bool,
    /// Check Stacked Borrows.
    pub stacked_borrows: bool,
    /// Check Tree Borrows instead (when `stacked_borrows` is on).
    pub tree_borrows: bool,
    /// Report invalid values (validity programs still drive retags when this is off).
    pub validation: bool,
    /// How threads are scheduled.
    pub sched: SchedConfig,
    /// What `available_parallelism` and `sysconf(_SC_NPROCESSORS_ONLN)` report.
    pub num_cpus: u32,
    /// Detect data races (once a second thread exists).
    pub data_race: bool,
    /// The most bytes the program may have allocated at once (`-Zvigil-memory-limit`).
    pub memory_limit: u64,
    /// Let relaxed and acquire loads observe older stores (store buffers).
    pub weak_memory: bool,
    /// How often a freed heap or stack address is reused, and how often when another thread
    /// freed it (`reuse.rs`).
    pub address_reuse_rate: f64,
    pub address_reuse_cross_thread_rate: f64,
    /// Which NaNs, zeros and rounding errors float operations choose (`float.rs`).
    pub floats: float::FloatConfig,
    /// Inline small callees into their callers (`vigil_ir::inline_calls`).
    pub inline: bool,
    /// Make only the access of retags nothing can observe (`vigil_ir::mark_unobserved_retags`).
    pub unobserved_retags: bool,
    /// Read register copies at their sources and drop the copies nothing reads
    /// (`vigil_ir::propagate_copies`), and compute operations on constants at lowering
    /// (`vigil_ir::fold_constants`).
    pub copy_propagation: bool,
    /// Tree Borrows: shared references to `UnsafeCell`s alone act as their parent's node
    /// instead of making one (`borrows/tree/alias.rs`). Off for programs that print their
    /// tag trees, which would lack those rows.
    pub tb_cell_aliases: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            os: OsConfig::default(),
            symbolic_alignment: false,
            alignment_check: true,
            tb_implicit_writes: false,
            tb_precise_interior_mut: true,
            strict_provenance: false,
            check_leaks: true,
            stacked_borrows: true,
            tree_borrows: false,
            validation: true,
            sched: SchedConfig::default(),
            num_cpus: 1,
            data_race: true,
            weak_memory: true,
            address_reuse_rate: 0.5,
            address_reuse_cross_thread_rate: 0.1,
            memory_limit: u64::MAX,
            floats: float::FloatConfig::default(),
            inline: true,
            unobserved_retags: true,
            copy_propagation: true,
            tb_cell_aliases: true,
        }
    }
}

/// Where a value lives at run time.
#[derive(Clone, Copy, Debug)]
pub enum Loc {
    /// Absolute byte index into the register stack.
    Reg(usize),
    Mem(Ptr),
}

impl Loc {
    #[inline]
    pub fn offset(self, n: u64) -> Loc {
        match self {
            Loc::Reg(r) => Loc::Reg(r + n as usize),
            Loc::Mem(p) => Loc::Mem(p.offset(n)),
        }
    }
}

/// How a frame hands control back to its caller.
#[derive(Clone, Copy, Debug)]
enum ReturnTo {
    /// An ordinary call: write the result to `dst`, continue at `target`.
    Call { dst: Loc, target: Option<u32>, unwind: Unwind },
    /// The `try_fn` of a `catch_unwind`: returns 0 normally; on unwinding calls `catch_fn`.
    Catch { dst: Loc, target: u32, catch_fn: Ptr, data: Ptr, catch_sig: vigil_ir::SigId },
    /// The entry function.
    Root,
}

pub(crate) struct Frame {
    func: &'static Function,
    fn_id: FnId,
    pc: u32,
    /// Start of this frame's registers in the register stack.
    base: usize,
    ret: ReturnTo,
    /// Id of this call's protectors (0: it protects nothing).
    call_id: u64,
    /// Index of the innermost frame of the user's crate at or below this one
    /// (`NO_USER_FRAME`: none), so reports find the user's program point at once.
    user_frame: u32,
    /// The first tag this call may have made (`young.rs`; `NO_MARK` when nothing is
    /// dropped at returns).
    tag_mark: u32,
}

const NO_USER_FRAME: u32 = u32::MAX;

/// The backtrace of a thread's frames, innermost first: each frame's function and the span
/// of its current instruction, and a frame for the callee of each inlined call the
/// instruction is in (as if it had been called).
fn frames_backtrace(stack: &[Frame]) -> Vec<(FnId, SpanId)> {
    let mut out = Vec::with_capacity(stack.len());
    for f in stack.iter().rev() {
        let span = |pc: u32| f.func.spans.get(pc as usize).copied().unwrap_or_default();
        let mut pc = f.pc;
        for r in f.func.inlined_around(f.pc) {
            out.push((r.callee, span(pc)));
            pc = r.call;
        }
        out.push((f.fn_id, span(pc)));
    }
    out
}

pub struct Machine<'f> {
    frontend: &'f dyn Frontend,
    funcs: Vec<Option<&'static Function>>,
    /// Per lowered function: whether it belongs to the user's crate.
    local_fns: Vec<bool>,
    /// Per lowered function: whether a call can copy its arguments straight into its
    /// registers (it is not C-variadic and every parameter lives in a register).
    reg_params: Vec<bool>,
    /// The functions being lowered, innermost last: the one the program called, then the
    /// small callees lowered ahead of their first call to be inlined into it (none of these
    /// is inlined into itself).
    lowering: Vec<FnId>,
    /// Per function: what the frontend's `inline_hint` said (`None`: not asked yet).
    inline_hints: Vec<Option<bool>>,
    /// By function: what the frontend said of `Frontend::retags_receiver` (checked against
    /// the code when the function is lowered).
    receiver_hints: Vec<Option<bool>>,
    // ---- the running thread's execution state (swapped out when another thread runs) ----
    stack: Vec<Frame>,
    regs: Vec<u8>,
    /// Provenance of each 8-byte word of `regs`.
    reg_prov: Vec<Prov>,
    /// Pointer fragments in registers, by absolute byte offset (unordered): those of a word
    /// whose `reg_prov` entry is `Prov::FRAGMENTS` are current, the others are stale.
    reg_frags: Vec<(usize, crate::prov_map::ProvPart)>,
    /// Initialization of each byte of `regs` (1 = initialized).
    reg_init: Vec<u8>,
    /// End of the innermost frame's registers (the vectors above may be longer).
    sp: usize,
    pub mem: Memory,
    /// Payloads of the panics being unwound, innermost last: a destructor run by the cleanup
    /// of one panic may panic and catch another.
    unwinding: Vec<Ptr>,
    /// Basic-block ends until the running thread is preempted (`u64::MAX` while a single
    /// thread exists: the countdown never ends).
    preempt_budget: u64,
    // ---- shared by all threads ----
    threads: concurrency::ThreadManager,
    sched: concurrency::scheduler::Scheduler,
    sync: concurrency::sync::SyncObjects,
    clock: concurrency::clock::VirtualClock,
    /// Steps taken (calls and returns): the virtual clock's measure of work.
    steps: u64,
    /// Whether the foreign call running now is a blocked call run again (taken from the
    /// thread at each foreign call, so it never outlives that call).
    pub(crate) retried: Option<concurrency::Retried>,
    /// Reused buffers for moving values, so instructions do not allocate.
    scratch: Vec<u8>,
    scratch_init: Vec<u8>,
    scratch_prov: crate::prov_map::ProvList,
    args: Vec<u8>,
    args_init: Vec<u8>,
    args_prov: crate::prov_map::ProvList,
    arg_ranges: Vec<(u32, u32)>,
    pub os: os::Os,
    /// Where the main thread's entry function writes its return value.
    root_ret: Ptr,
    /// Global constructors and the entry point, until the entry starts.
    startup: startup::Startup,
    pub config: Config,
    next_call_id: u64,
    /// Reused list of references found by validation, to retag.
    retag_buf: Vec<validate::RetagRequest>,
    /// Reused list of padding ranges found by validation, to make uninitialized.
    padding_buf: Vec<(u32, u32)>,
    /// Reused list of a Tree Borrows retag's segments (`retag::segments`).
    segment_buf: Vec<(u64, u64, borrows::tree::TbPerm)>,
    /// The memory places the next call uses in place (`Inst::ProtectInPlace`), protected
    /// once the callee's frame exists.
    in_place: Vec<(Ptr, u32)>,
    /// The argument packs of C-variadic calls, by allocation id: how many `VaList`s still
    /// refer to each (the pack is freed when the last one is ended).
    va_lists: std::collections::HashMap<u32, u32>,
    /// Scratch bit set of live tags for dead-tag collection (all zero between collections).
    live_tag_bits: Vec<u64>,
    /// Scratch list of the tags marked in `live_tag_bits` (empty between collections).
    live_tag_list: Vec<u32>,
    /// Whether returns drop the Tree Borrows nodes made during the call (`young.rs`).
    drops_young: bool,
    /// Tree Borrows: the allocations that got nodes, as runs of tags (`young.rs`), newest
    /// last; emptied at each collection.
    young: Vec<young::YoungRun>,
    /// The number of tags made when the running thread last began to run (`switch_to`):
    /// every tag from it on was made by this thread (`young.rs`).
    thread_tags_from: u32,
    /// Per function (by id), its registers live after each call (`vigil_ir::live_after_calls`),
    /// computed when a return first needs them.
    live_after_calls: Vec<Option<vigil_ir::LiveAfterCalls>>,
}

impl<'f> Machine<'f> {
    pub fn new(frontend: &'f dyn Frontend, config: Config) -> Machine<'f> {
        let mut mem = Memory::new();
        let drops_young = config.stacked_borrows && config.tree_borrows;
        if config.stacked_borrows {
            mem.enable_aliasing_model(config.tree_borrows);
        }
        if config.data_race {
            mem.enable_race_detector();
        }
        mem.alignment_check = config.alignment_check;
        mem.symbolic_alignment = config.symbolic_alignment;
        mem.reuse = reuse::ReusePool::new(config.address_reuse_rate, config.address_reuse_cross_thread_rate, config.sched.seed);
        let root_ret = mem.allocate(16, 16, AllocKind::Machine);
        let os = os::Os::new(config.os.clone(), &mut mem);
        let main = concurrency::Thread::new(Some("main"), os.errno, root_ret);
        Machine {
            frontend,
            funcs: Vec::new(),
            local_fns: Vec::new(),
            reg_params: Vec::new(),
            lowering: Vec::new(),
            inline_hints: Vec::new(),
            receiver_hints: Vec::new(),
            stack: Vec::new(),
            regs: Vec::with_capacity(1 << 20),
            reg_prov: Vec::with_capacity(1 << 17),
            reg_frags: Vec::new(),
            reg_init: Vec::with_capacity(1 << 20),
            sp: 0,
            mem,
            unwinding: Vec::new(),
            preempt_budget: u64::MAX,
            threads: concurrency::ThreadManager::new(main),
            sched: concurrency::scheduler::Scheduler::new(config.sched.clone()),
            sync: Default::default(),
            clock: if config.os.isolation == Isolation::Allow {
                concurrency::clock::VirtualClock::following_host()
            } else {
                Default::default()
            },
            steps: 0,
            retried: None,
            scratch: Vec::new(),
            scratch_init: Vec::new(),
            scratch_prov: Vec::new(),
            args: Vec::new(),
            args_init: Vec::new(),
            args_prov: Vec::new(),
            arg_ranges: Vec::new(),
            os,
            root_ret,
            startup: Default::default(),
            config,
            next_call_id: 0,
            retag_buf: Vec::new(),
            in_place: Vec::new(),
            va_lists: std::collections::HashMap::new(),
            padding_buf: Vec::new(),
            segment_buf: Vec::new(),
            live_tag_bits: Vec::new(),
            live_tag_list: Vec::new(),
            drops_young,
            young: Vec::new(),
            thread_tags_from: 0,
            live_after_calls: Vec::new(),
        }
    }

    /// Runs `entry` with the given argument values (bytes with provenance) to completion.
    /// Returns the entry function's return value as an integer (its exit code).
    pub fn run(&mut self, entry: FnId, args: &[ArgValue]) -> Res<i64> {
        stats::start_run();
        self.start(entry, args).map_err(|e| self.with_backtrace(e))?;
        let run = self.execute();
        stats::report();
        match run {
            Ok(()) => {
                let (v, _) = self.mem.read_scalar(self.root_ret, 8)?;
                let code = v as u64 as i64;
                // Leaks are only reported for a program that ran to a successful end.
                if code == 0 && self.config.check_leaks {
                    if self.threads.live_count() > 0 {
                        return Err(Error::new(ErrorKind::ThreadLeak(self.running_threads())));
                    }
                    self.check_leaks()?;
                }
                Ok(code)
            }
            Err(e) => Err(self.with_backtrace(e)),
        }
    }

    fn check_leaks(&self) -> Res<()> {
        let leaks: Vec<Leak> = self
            .mem
            .unreachable_heap_allocs()
            .into_iter()
            .map(|id| {
                let a = self.mem.get(Prov::base(id));
                Leak { alloc: id, kind: a.kind.describe(), size: a.size, align: a.align, site: a.alloc_site }
            })
            .collect();
        if leaks.is_empty() { Ok(()) } else { Err(Error::new(ErrorKind::MemoryLeak(leaks))) }
    }

    /// Where the program is, for allocation history: the innermost frame of the user's
    /// crate, else the innermost frame.
    pub(crate) fn user_site(&self) -> Option<(FnId, SpanId)> {
        let (f, spans, pc) = self.user_point()?;
        Some((f, spans.get(pc as usize).copied().unwrap_or_default()))
    }

    /// `user_site` as the frame's function, its span table and its instruction.
    pub(crate) fn user_point(&self) -> Option<(FnId, &'static [SpanId], u32)> {
        let top = self.stack.last()?;
        let f = self.stack.get(top.user_frame as usize).unwrap_or(top);
        Some((f.fn_id, f.func.site_spans(), f.pc))
    }

    /// Attaches the current interpreted backtrace to an error (once), and the thread it
    /// happened on once there are several.
    fn with_backtrace(&self, mut e: Error) -> Error {
        if e.backtrace.is_empty() {
            e.backtrace = self.backtrace();
        }
        if let Some((f, listed_at)) = self.startup.running_ctor
            && self.threads.active == ThreadId::MAIN
            && e.history.is_empty()
        {
            e.history.push(("the current function got called indirectly due to this code".into(), Some((f, listed_at))));
        }
        // Tree Borrows reports explain themselves with the tags' histories (Miri shows no
        // allocation site for them either).
        if let (Some(id), true, false) = (e.alloc, e.history.is_empty(), matches!(e.kind, ErrorKind::TreeBorrows(_))) {
            let a = self.mem.get(Prov::base(id));
            if let Some((f, s)) = a.alloc_site {
                e.history.push((format!("alloc{id} was allocated here:"), Some((f, s))));
            }
            if let Some((f, s)) = a.free_site {
                e.history.push((format!("alloc{id} was deallocated here:"), Some((f, s))));
            }
        }
        if e.thread.is_none() && self.threads.ever_multithreaded() {
            let t = self.threads.active;
            e.thread = Some(self.threads.display_name(t));
            if let (Some(origin), false) = (self.threads.get(t).origin, matches!(e.kind, ErrorKind::Deadlock(_) | ErrorKind::ThreadLeak(_)))
            {
                e.history.push((format!("thread `{}` was spawned here:", self.threads.display_name(t)), Some(origin)));
            }
        }
        e
    }

    pub fn backtrace(&self) -> Vec<(FnId, SpanId)> {
        frames_backtrace(&self.stack)
    }

    pub fn fn_name(&self, f: FnId) -> String {
        self.frontend.fn_name(f)
    }

    /// Lowers `f` now, before the program runs (what it imports is as it would be on first
    /// use: nothing has run yet). Returns whether it could be lowered; one that cannot is
    /// left to fail where the program calls it, if it does.
    pub fn prelower(&mut self, f: FnId) -> bool {
        self.function(f).is_ok()
    }

    /// The functions lowered so far.
    pub fn lowered_fns(&self) -> impl Iterator<Item = FnId> + '_ {
        self.funcs.iter().enumerate().filter(|(_, f)| f.is_some()).map(|(i, _)| FnId(i as u32))
    }

    /// Replaces the program's arguments (before it runs).
    pub fn set_program_args(&mut self, args: Vec<String>) {
        self.os.set_args(args, &mut self.mem);
    }

    /// The lowered function `f`, lowering it on first use.
    #[inline(always)]
    fn function(&mut self, f: FnId) -> Res<&'static Function> {
        if let Some(Some(func)) = self.funcs.get(f.0 as usize) {
            return Ok(func);
        }
        self.lower_function(f)
    }

    /// Lowers `f` (its first use) and inlines its small callees.
    #[cold]
    #[inline(never)]
    fn lower_function(&mut self, f: FnId) -> Res<&'static Function> {
        let func = stats::lowering(|| self.lower_and_inline(f))?;
        Ok(self.install(f, func))
    }

    /// `f` lowered, with its small callees inlined.
    fn lower_and_inline(&mut self, f: FnId) -> Res<Function> {
        let mut func = self.lower_raw(f)?;
        // (With inlining or without: the two must schedule threads alike.)
        vigil_ir::forward_empty_cleanups(&mut func);
        if self.config.inline {
            let local = self.frontend.is_local(f);
            self.lowering.push(f);
            let policy = self.inline_policy();
            vigil_ir::inline_calls_within(&mut func, policy, |g, passed| self.inline_callee(g, local, passed));
            self.lowering.pop();
        }
        // (After inlining, whose callees' reads of a local are then in this code; before the
        // retag elision and the validation removal, which then see the registers.)
        vigil_ir::promote_locals(&mut func);
        // (Before the validation removal, which then finds the checks of one value made
        // through its copies on the same register.)
        if self.config.copy_propagation {
            // (Constants folded after the copies' renaming, whose renamed reads then name the
            // constants themselves.)
            vigil_ir::propagate_copies_and_constants(&mut func);
        }
        // (Before the retag elision, whose searches then walk fewer instructions.)
        vigil_ir::remove_repeated_validations(&mut func);
        if self.config.unobserved_retags {
            // (Under Tree Borrows a failing write through a `&mut` names its own tag's place
            // in the tree: those are retagged in full, but for the links of reborrow chains,
            // through which nothing is accessed. The chains come last: a link's reborrow is
            // then known to make a tag of its own.)
            vigil_ir::mark_unobserved_retags(&mut func, !self.config.tree_borrows);
            vigil_ir::mark_retags_into_callee(&mut func, self.config.tree_borrows, |g| self.retags_receiver(g));
            vigil_ir::mark_reborrow_chains(&mut func, self.config.tree_borrows);
        }
        // What the `IntoCallee` marks of callers already lowered took for granted.
        if self.receiver_hints.get(f.0 as usize).copied().flatten() == Some(true) && !vigil_ir::retags_receiver_first(&func) {
            return Err(Error::unsupported("a callee said to retag its receiver first does not (a lowering bug)".to_string()));
        }
        // The interpreter accesses register fields without bounds checks (register bounds,
        // `place.rs`): a function naming one outside its frame never runs.
        if let Err(e) = vigil_ir::check_register_bounds(&func) {
            return Err(Error::unsupported(format!("{e} (a lowering bug)")));
        }
        self.frontend.lowered(f, &func);
        // The interpreter fetches instructions without a bounds check (code bounds): the
        // code ends with a stop and every jump target lies inside it.
        if let Err(e) = vigil_ir::seal_code(&mut func) {
            return Err(Error::unsupported(format!("{e} (a lowering bug)")));
        }
        if self.config.inline && self.frontend.is_local(f) {
            vigil_ir::set_site_spans(&mut func, |g| !self.frontend.is_local(g));
        }
        Ok(func)
    }

    /// Whether `g`, called directly, begins with the function-entry retag of its receiver
    /// (`vigil_ir::mark_retags_into_callee`): read off its code once lowered, else asked of
    /// the frontend (and checked when it is lowered).
    fn retags_receiver(&mut self, g: FnId) -> bool {
        let i = g.0 as usize;
        if let Some(Some(func)) = self.funcs.get(i) {
            return vigil_ir::retags_receiver_first(func);
        }
        if self.receiver_hints.len() <= i {
            self.receiver_hints.resize(i + 1, None);
        }
        *self.receiver_hints[i].get_or_insert_with(|| self.frontend.retags_receiver(g))
    }

    /// `f` as the frontend lowers it.
    fn lower_raw(&mut self, f: FnId) -> Res<Function> {
        // What lowering imports (constants, statics) exists before every thread: its writes
        // are not accesses of the running thread.
        let race_on = std::mem::replace(&mut self.mem.race_on, false);
        let lowered = self.frontend.lower(f, &mut self.mem);
        self.mem.race_on = race_on;
        lowered
    }

    /// The body of `g` to inline into a caller of the user's crate or not (as `local`
    /// says), lowering `g` now, with its own small callees inlined, if the frontend deems it
    /// worth it. Reports and tag histories name the innermost frame of the user's crate,
    /// which inlining must not move: a callee of the user's crate is inlined only into
    /// another, while a callee of another crate inlined into the user's code stands at its
    /// call's span as the current point there (`vigil_ir::set_site_spans`), as it would with
    /// a frame of its own.
    fn inline_callee(&mut self, g: FnId, local: bool, passed: vigil_ir::PassedRef) -> Option<&'static Function> {
        /// How deep lowering ahead goes: small functions calling small functions.
        const MAX_DEPTH: usize = 16;
        let i = g.0 as usize;
        if self.lowering.contains(&g) || (self.frontend.is_local(g) && !local) {
            return None;
        }
        if let Some(Some(func)) = self.funcs.get(i) {
            let func: &'static Function = func;
            return self.may_inline(func, g, local, passed).then_some(func);
        }
        if self.inline_hints.len() <= i {
            self.inline_hints.resize(i + 1, None);
        }
        let hint = *self.inline_hints[i].get_or_insert_with(|| self.frontend.inline_hint(g));
        if !hint || self.lowering.len() >= MAX_DEPTH {
            return None;
        }
        // (A body that fails to lower is left to fail where the program calls it.)
        let func = self.lower_and_inline(g).ok()?;
        let func = self.install(g, func);
        self.may_inline(func, g, local, passed).then_some(func)
    }

    /// Whether `func`, the lowered `g`, may be inlined into a caller of the user's crate or
    /// not (`local`): an inlinable callee of the same side, or one of another crate that the
    /// model's policy lets into the user's code (`InlinePolicy::into_user_code`).
    fn may_inline(&self, func: &Function, g: FnId, local: bool, passed: vigil_ir::PassedRef) -> bool {
        let policy = self.inline_policy();
        func.inlinable_within(policy.for_call(passed)) && (local == self.frontend.is_local(g) || policy.into_user_code(func, passed))
    }

    /// What inlining the aliasing model in use allows.
    fn inline_policy(&self) -> vigil_ir::InlinePolicy {
        vigil_ir::InlinePolicy::new(self.config.tree_borrows)
    }

    /// Makes `func` the code `f` runs.
    fn install(&mut self, f: FnId, func: Function) -> &'static Function {
        let i = f.0 as usize;
        let func: &'static Function = Box::leak(Box::new(func));
        if self.funcs.len() <= i {
            self.funcs.resize(i + 1, None);
            self.local_fns.resize(i + 1, false);
            self.reg_params.resize(i + 1, false);
        }
        self.funcs[i] = Some(func);
        self.local_fns[i] = self.frontend.is_local(f);
        self.reg_params[i] =
            !func.c_variadic && func.params.iter().all(|p| matches!(func.locals[p.local as usize], vigil_ir::LocalSlot::Reg { .. }));
        func
    }
}
