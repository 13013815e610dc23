//! The frontend: turns monomorphized MIR instances into Vigil's executable form, once
//! per instance, and imports the compiler's constant allocations into machine memory.

mod abi;
mod body;
mod call;
mod consts;
mod ctors;
mod foreign;
mod intrinsics;
mod select;
mod simd;
mod types;
mod validity;
mod vtables;
mod x86;

use rustc_data_structures::fx::FxHashMap;
use rustc_middle::mir::interpret::AllocId as RAllocId;
use rustc_middle::ty::{self, Instance, InstanceKind, TyCtxt};
use rustc_span::Span;
use rustc_span::def_id::DefId;
use vigil_ir::{FnId, Function, SpanId};
use vigil_machine::{Error, Frontend, Memory, Ptr};

pub struct Lowerer<'tcx> {
    pub tcx: TyCtxt<'tcx>,
    instances: Vec<Instance<'tcx>>,
    instance_ids: FxHashMap<Instance<'tcx>, FnId>,
    spans: Vec<Span>,
    span_ids: FxHashMap<Span, SpanId>,
    /// Compiler allocations already imported, by their compiler id.
    allocs: FxHashMap<RAllocId, Ptr>,
    statics: FxHashMap<DefId, Ptr>,
    /// Thread-local statics: dense index and template allocation.
    thread_locals: FxHashMap<DefId, (u32, Ptr)>,
    type_ids: FxHashMap<ty::Ty<'tcx>, Ptr>,
    /// Whether typed copies, arguments and return values are validated.
    pub validate: bool,
    /// Whether places and references require alignment (`-Zmiri-disable-alignment-check`).
    pub alignment_check: bool,
    /// Intrinsics with a fallback body run it (`-Zmiri-force-intrinsic-fallback`).
    pub force_intrinsic_fallback: bool,
    /// Crates (by name) whose frames reports point at, besides the local crate.
    pub user_relevant_crates: Vec<String>,
    /// `-Zvigil-dump-ir=NAME`: functions whose path contains `NAME` are printed to stderr
    /// when they are lowered.
    pub dump_ir: Option<String>,
    validities: FxHashMap<ty::Ty<'tcx>, Option<std::sync::Arc<vigil_ir::Validity>>>,
    /// `types::holds_union` by type (a walk over every field's layout: 4% of a hello
    /// world's instructions when made anew for each local).
    union_holders: FxHashMap<ty::Ty<'tcx>, bool>,
    /// Functions exported by any crate, by symbol name (built on first need).
    exports: Option<FxHashMap<String, DefId>>,
    /// Foreign functions declared by any crate, by name (built on first need).
    foreign_decls: Option<FxHashMap<String, DefId>>,
    /// Functions the program's crates export (`#[no_mangle]`, `#[export_name]`), by symbol
    /// (built on first need).
    user_exports: Option<FxHashMap<String, Vec<DefId>>>,
    /// The `#[global_allocator]`'s functions by name (`__rust_alloc`...; empty without one).
    global_alloc_fns: Option<FxHashMap<String, DefId>>,
    /// The function `__rust_alloc_error_handler` stands for (searched once).
    alloc_error_handler: Option<Option<DefId>>,
    /// Interned call signatures (`lower/abi.rs`).
    sigs: abi::Sigs<'tcx>,
    /// The traits vtables were made for (`lower/vtables.rs`).
    vtable_traits: vtables::VtableTraits<'tcx>,
    /// The types validity checks name in reports, by `vigil_ir::TyName` (`lower/validity.rs`).
    ty_names: rustc_data_structures::fx::FxIndexSet<ty::Ty<'tcx>>,
}

impl<'tcx> Lowerer<'tcx> {
    pub fn new(tcx: TyCtxt<'tcx>, validate: bool) -> Self {
        Lowerer {
            tcx,
            instances: Vec::new(),
            instance_ids: FxHashMap::default(),
            spans: vec![rustc_span::DUMMY_SP],
            span_ids: FxHashMap::default(),
            allocs: FxHashMap::default(),
            statics: FxHashMap::default(),
            thread_locals: FxHashMap::default(),
            type_ids: FxHashMap::default(),
            exports: None,
            foreign_decls: None,
            user_exports: None,
            global_alloc_fns: None,
            alloc_error_handler: None,
            sigs: abi::Sigs::default(),
            vtable_traits: vtables::VtableTraits::default(),
            ty_names: Default::default(),
            validate,
            alignment_check: true,
            force_intrinsic_fallback: false,
            user_relevant_crates: Vec::new(),
            dump_ir: None,
            validities: FxHashMap::default(),
            union_holders: FxHashMap::default(),
        }
    }

    /// The id of an instance, assigning one on first sight (lowering happens on first call).
    pub fn intern(&mut self, instance: Instance<'tcx>) -> FnId {
        if let Some(&id) = self.instance_ids.get(&instance) {
            return id;
        }
        let id = FnId(self.instances.len() as u32);
        self.instances.push(instance);
        self.instance_ids.insert(instance, id);
        id
    }

    /// The Rust function that defines the symbol a foreign item declares (e.g. the panic
    /// runtime's `__rust_start_panic`, std's panic handler for `panic_impl`, or a function
    /// of the program exported with `#[no_mangle]`/`#[export_name]`).
    pub fn exported_definition(&mut self, foreign: DefId) -> Option<Instance<'tcx>> {
        self.std_definition(foreign).or_else(|| self.user_export(foreign))
    }

    /// The symbol `foreign` declares, and the program's definitions of it (functions and
    /// statics of the local crate or of dependencies outside the sysroot, strong ones first).
    fn export_defs(&mut self, foreign: DefId) -> (String, &[DefId]) {
        let tcx = self.tcx;
        let exports = self.user_exports.get_or_insert_with(|| {
            let exported = |d: DefId| {
                matches!(
                    tcx.def_kind(d),
                    rustc_hir::def::DefKind::Fn | rustc_hir::def::DefKind::AssocFn | rustc_hir::def::DefKind::Static { .. }
                ) && !tcx.is_foreign_item(d)
                    && tcx.generics_of(d).count() == 0
                    && {
                        let attrs = tcx.codegen_fn_attrs(d);
                        attrs.contains_extern_indicator()
                            || attrs.flags.contains(rustc_middle::middle::codegen_fn_attrs::CodegenFnAttrFlags::RUSTC_STD_INTERNAL_SYMBOL)
                    }
            };
            let mut map = FxHashMap::default();
            for d in
                tcx.hir_crate_items(()).definitions().map(|d| d.to_def_id()).chain(dependency_definitions(tcx)).filter(|&d| exported(d))
            {
                let symbol = tcx.symbol_name(Instance::mono(tcx, d)).name.to_string();
                map.entry(symbol).or_insert_with(Vec::new).push(d);
            }
            // Strong definitions first: a weak one is used only when there is no other.
            for defs in map.values_mut() {
                defs.sort_by_key(|&d| is_weak(tcx, d));
            }
            map
        });
        let symbol = tcx.symbol_name(Instance::mono(tcx, foreign)).name.to_string();
        let defs = exports.get(&symbol).map_or(&[][..], |d| &d[..]);
        (symbol, defs)
    }

    /// A function of the program exported under the symbol `foreign` declares.
    fn user_export(&mut self, foreign: DefId) -> Option<Instance<'tcx>> {
        let tcx = self.tcx;
        let (_, defs) = self.export_defs(foreign);
        defs.first().filter(|&&d| !matches!(tcx.def_kind(d), rustc_hir::def::DefKind::Static { .. })).map(|&d| Instance::mono(tcx, d))
    }

    /// Why a call to the symbol `foreign` declares cannot be linked: the program defines it
    /// more than once, or defines a symbol Vigil provides as a shim (`shim`).
    pub fn symbol_clash(&mut self, foreign: DefId, shim: bool) -> Option<String> {
        let tcx = self.tcx;
        let (symbol, defs) = self.export_defs(foreign);
        if defs.iter().filter(|&&d| !is_weak(tcx, d)).count() > 1 {
            return Some(format!("multiple definitions of symbol `{symbol}`"));
        }
        (shim && !defs.is_empty()).then(|| format!("found `{symbol}` symbol definition that clashes with a built-in shim"))
    }

    /// Whether the symbol the foreign function `foreign` declares is a static the program
    /// exports (calling it is undefined behavior).
    pub fn exported_static(&mut self, foreign: DefId) -> bool {
        let tcx = self.tcx;
        self.export_defs(foreign).1.first().is_some_and(|&d| matches!(tcx.def_kind(d), rustc_hir::def::DefKind::Static { .. }))
    }

    /// std's own definitions of the symbols it declares (`__rust_*`, `panic_impl`).
    fn std_definition(&mut self, foreign: DefId) -> Option<Instance<'tcx>> {
        let tcx = self.tcx;
        // Only std-internal symbols and the panic handler are defined by other crates;
        // this also keeps the (one-time) walk of all definitions off the common path.
        let name = tcx.item_name(foreign);
        if !name.as_str().starts_with("__rust") && name.as_str() != "panic_impl" {
            return None;
        }
        let exports = self.exports.get_or_insert_with(|| {
            // Upstream crates are compiled metadata-only, so their export lists are empty:
            // walk their definitions for the std-internal `__rust_*` functions instead.
            let mut map = FxHashMap::default();
            let cstore = rustc_metadata::creader::CStore::from_tcx(tcx);
            // (Proc-macro crates, loaded for their macros only, have no such functions, and
            // their metadata describes only the macros.)
            for &cnum in tcx.crates(()).iter().filter(|&&c| !tcx.crate_dep_kind(c).macros_only()) {
                for i in 0..cstore.num_def_ids_untracked(cnum) {
                    let def_id = DefId { krate: cnum, index: rustc_span::def_id::DefIndex::from_usize(i) };
                    if !matches!(tcx.def_kind(def_id), rustc_hir::def::DefKind::Fn) || tcx.is_foreign_item(def_id) {
                        continue;
                    }
                    if let Some(name) = tcx.opt_item_name(def_id)
                        && name.as_str().starts_with("__rust")
                    {
                        map.insert(format!("name:{name}"), def_id);
                    }
                }
            }
            map
        });
        let symbol = tcx.symbol_name(Instance::mono(tcx, foreign)).name.to_string();
        let by_name = format!("name:{}", tcx.item_name(foreign));
        let def_id = exports
            .get(&symbol)
            .or_else(|| exports.get(&by_name))
            .copied()
            .or_else(|| (tcx.item_name(foreign).as_str() == "panic_impl").then(|| tcx.lang_items().panic_impl()).flatten())?;
        Some(Instance::mono(tcx, def_id))
    }

    pub fn span_id(&mut self, span: Span) -> SpanId {
        if let Some(&id) = self.span_ids.get(&span) {
            return id;
        }
        let id = SpanId(self.spans.len() as u32);
        self.spans.push(span);
        self.span_ids.insert(span, id);
        id
    }

    pub fn span(&self, id: SpanId) -> Span {
        self.spans[id.0 as usize]
    }

    pub fn fn_name_of(&self, f: FnId) -> String {
        with_no_trimmed(|| self.tcx.def_path_str_with_args(self.instances[f.0 as usize].def_id(), self.instances[f.0 as usize].args))
    }

    /// Whether `f` belongs to the crate being run (for choosing the primary span).
    /// Whether `f` belongs to the user's code: the local crate, or one named by
    /// `-Zmiri-user-relevant-crates`.
    pub fn is_local(&self, f: FnId) -> bool {
        let def = self.instances[f.0 as usize].def_id();
        def.is_local()
            || (!self.user_relevant_crates.is_empty()
                && self.user_relevant_crates.iter().any(|c| self.tcx.crate_name(def.krate).as_str() == c))
    }
}

/// The definitions of the program's dependencies outside the sysroot (walking std's costs
/// more than a small program's whole run, and its own start-up hooks and exports are
/// Vigil's business).
pub(super) fn dependency_definitions(tcx: TyCtxt<'_>) -> impl Iterator<Item = DefId> + '_ {
    let cstore = rustc_metadata::creader::CStore::from_tcx(tcx);
    let sysroot = tcx.sess.opts.sysroot.path();
    let in_sysroot = move |c| {
        let src = tcx.used_crate_source(c);
        [&src.rlib, &src.rmeta, &src.dylib].into_iter().flatten().any(|p| p.starts_with(sysroot))
    };
    let crates: Vec<(rustc_span::def_id::CrateNum, usize)> = tcx
        .crates(())
        .iter()
        .copied()
        .filter(|&c| c != rustc_span::def_id::LOCAL_CRATE && !tcx.crate_dep_kind(c).macros_only() && !in_sysroot(c))
        .map(|c| (c, cstore.num_def_ids_untracked(c)))
        .collect();
    crates.into_iter().flat_map(|(krate, n)| (0..n).map(move |i| DefId { krate, index: rustc_span::def_id::DefIndex::from_usize(i) }))
}

fn with_no_trimmed<R>(f: impl FnOnce() -> R) -> R {
    rustc_middle::ty::print::with_no_trimmed_paths!(f())
}

impl<'tcx> Lowerer<'tcx> {
    /// Lowers `f` (on its first call).
    fn lower(&mut self, f: FnId, mem: &mut Memory) -> Result<Function, Error> {
        let instance = self.instances[f.0 as usize];
        // A foreign item that is really a Rust function has that function's signature.
        let (mut func, lowered) = self.lower_body(instance, mem)?;
        func.sig = self.instance_sig(lowered);
        select::select(&mut func);
        Ok(func)
    }

    /// Whether `f`'s MIR looks small enough to inline (`Frontend::inline_hint`): few
    /// statements, no drop, no cleanup. (Its calls may return: they may be to small
    /// functions inlined in turn.) Judged without decoding the MIR first where metadata
    /// already says no.
    fn inline_hint(&self, f: FnId) -> bool {
        use rustc_middle::mir::{StatementKind, TerminatorKind as T};
        let tcx = self.tcx;
        let instance = self.instances[f.0 as usize];
        match instance.def {
            InstanceKind::Item(d) if tcx.is_foreign_item(d) || !tcx.is_mir_available(d) => return false,
            // Another crate's function that its compiler would not inline across crates is
            // rarely small: not worth decoding its MIR to find out.
            InstanceKind::Item(d) if !d.is_local() && !tcx.cross_crate_inlinable(d) => return false,
            InstanceKind::Item(_) => {}
            // (Drop glue, closure and fn-pointer shims, ... are built here; intrinsics and
            // virtual calls are not bodies.)
            InstanceKind::Intrinsic(_) | InstanceKind::Virtual(..) => return false,
            _ => {}
        }
        let body = tcx.instance_mir(instance.def);
        let mut len = 0;
        for bb in body.basic_blocks.iter() {
            // (Storage markers of locals that end up in registers lower to nothing.)
            let statements = bb
                .statements
                .iter()
                .filter(|s| !matches!(s.kind, StatementKind::StorageLive(_) | StatementKind::StorageDead(_) | StatementKind::Nop))
                .count();
            // A drop of a type without drop glue lowers to a jump.
            let noop_drop = |place: &rustc_middle::mir::Place<'tcx>| {
                let ty = place.ty(body, tcx).ty;
                types::drop_is_noop(
                    tcx,
                    instance.instantiate_mir_and_normalize_erasing_regions(tcx, types::typing_env(), ty::EarlyBinder::bind(ty)),
                )
            };
            // A cleanup that only resumes unwinding, through jumps, switches on drop flags
            // and drops that do nothing, is no cleanup once lowered
            // (`vigil_ir::forward_empty_cleanups`).
            if bb.is_cleanup
                && statements == 0
                && match &bb.terminator().kind {
                    T::UnwindResume | T::Goto { .. } => true,
                    T::SwitchInt { discr, .. } => discr.place().is_some_and(|p| p.projection.is_empty()),
                    T::Drop { place, .. } => noop_drop(place),
                    _ => false,
                }
            {
                continue;
            }
            len += 1 + statements;
            let simple = match &bb.terminator().kind {
                T::Drop { place, .. } => noop_drop(place),
                T::TailCall { .. } | T::InlineAsm { .. } | T::UnwindResume | T::Yield { .. } | T::CoroutineDrop => false,
                _ => true,
            };
            if !simple || bb.is_cleanup || len > vigil_ir::MAX_INLINED_LEN {
                return false;
            }
        }
        true
    }

    /// Whether `f`, called directly, begins with the function-entry retag of its first
    /// parameter, a reference (`Frontend::retags_receiver`): a function item with a body,
    /// which `body::lower_instance` lowers with its parameters' validations first.
    fn retags_receiver(&self, f: FnId) -> bool {
        let tcx = self.tcx;
        let instance = self.instances[f.0 as usize];
        let InstanceKind::Item(d) = instance.def else { return false };
        // (Without validation, parameters are neither validated nor retagged.)
        if !self.validate || tcx.is_foreign_item(d) || !tcx.is_mir_available(d) {
            return false;
        }
        let body = tcx.instance_mir(instance.def);
        let first = rustc_middle::mir::Local::from_usize(1);
        if body.arg_count == 0 || body.spread_arg == Some(first) {
            return false;
        }
        let ty = instance.instantiate_mir_and_normalize_erasing_regions(
            tcx,
            types::typing_env(),
            ty::EarlyBinder::bind(body.local_decls[first].ty),
        );
        matches!(ty.kind(), ty::Ref(..))
    }

    /// Lowers `instance`, or the Rust function a foreign item stands for; returns which.
    fn lower_body(&mut self, instance: Instance<'tcx>, mem: &mut Memory) -> Result<(Function, Instance<'tcx>), Error> {
        let with = |f: Function| (f, instance);
        match instance.def {
            InstanceKind::Item(def_id)
                if self.tcx.is_foreign_item(def_id)
                    && let Some(def) = foreign::foreign_shim(self.tcx, def_id).and_then(|s| self.global_allocator_fn(s)) =>
            {
                Ok((body::lower_instance(self, def, mem)?, def))
            }
            InstanceKind::Item(def_id) if self.tcx.is_foreign_item(def_id) => match self.exported_definition(def_id) {
                Some(def) if foreign::foreign_shim(self.tcx, def_id).is_none() => Ok((body::lower_instance(self, def, mem)?, def)),
                _ => Ok(with(foreign::foreign_wrapper(self, instance))),
            },
            InstanceKind::Intrinsic(_) | InstanceKind::Virtual(..) => Ok(with(body::shim_wrapper(self, instance, mem))),
            _ => body::lower_instance(self, instance, mem).map(with),
        }
    }

    /// A foreign function named `name` that some crate of the program declares (for `dlsym`:
    /// calling it runs its shim). Found by walking the crates' definitions once.
    pub fn foreign_declaration(&mut self, name: &str) -> Option<FnId> {
        let tcx = self.tcx;
        let decls = self.foreign_decls.get_or_insert_with(|| {
            let mut map = FxHashMap::default();
            let cstore = rustc_metadata::creader::CStore::from_tcx(tcx);
            for &cnum in std::iter::once(&rustc_span::def_id::LOCAL_CRATE)
                .chain(tcx.crates(()).iter())
                .filter(|&&c| c == rustc_span::def_id::LOCAL_CRATE || !tcx.crate_dep_kind(c).macros_only())
            {
                let defs: Vec<DefId> = if cnum == rustc_span::def_id::LOCAL_CRATE {
                    tcx.hir_crate_items(()).definitions().map(|d| d.to_def_id()).collect()
                } else {
                    (0..cstore.num_def_ids_untracked(cnum))
                        .map(|i| DefId { krate: cnum, index: rustc_span::def_id::DefIndex::from_usize(i) })
                        .collect()
                };
                for def_id in defs {
                    if matches!(tcx.def_kind(def_id), rustc_hir::def::DefKind::Fn)
                        && tcx.is_foreign_item(def_id)
                        && let Some(n) = tcx.opt_item_name(def_id)
                    {
                        map.entry(n.to_string()).or_insert(def_id);
                    }
                }
            }
            map
        });
        let def_id = *decls.get(name)?;
        Some(self.intern(Instance::mono(tcx, def_id)))
    }

    /// The instance `f` stands for.
    pub fn instance(&self, f: FnId) -> Instance<'tcx> {
        self.instances[f.0 as usize]
    }
}

/// The lowerer as the machine's frontend: in a cell, so that the driver can read its tables
/// (names and spans for a report) while a machine holds it.
pub struct LowererCell<'tcx>(pub std::cell::RefCell<Lowerer<'tcx>>);

impl<'tcx> Frontend for LowererCell<'tcx> {
    fn lower(&self, f: FnId, mem: &mut Memory) -> Result<Function, Error> {
        self.0.borrow_mut().lower(f, mem)
    }

    fn fn_name(&self, f: FnId) -> String {
        self.0.borrow().fn_name_of(f)
    }

    fn is_local(&self, f: FnId) -> bool {
        self.0.borrow().is_local(f)
    }

    fn dlsym(&self, name: &str) -> Option<FnId> {
        self.0.borrow_mut().foreign_declaration(name)
    }

    fn vtable_mismatch(&self, actual: u32, expected: u32) -> Option<(String, String)> {
        self.0.borrow().vtable_mismatch(actual, expected)
    }

    fn type_name(&self, ty: vigil_ir::TyName) -> String {
        self.0.borrow().type_name(ty)
    }

    fn abi_mismatch(&self, caller: vigil_ir::SigId, callee: vigil_ir::SigId) -> Option<(String, vigil_machine::CalleeSite)> {
        self.0.borrow_mut().abi_mismatch(caller, callee)
    }

    fn callee_site(&self, f: FnId, site: vigil_machine::CalleeSite) -> SpanId {
        self.0.borrow_mut().callee_site(f, site)
    }

    fn warn(&self, title: &str, label: &str, backtrace: &[(FnId, SpanId)]) {
        crate::report::warn(&self.0.borrow(), title, label, backtrace);
    }

    fn inline_hint(&self, f: FnId) -> bool {
        self.0.borrow().inline_hint(f)
    }

    fn retags_receiver(&self, f: FnId) -> bool {
        self.0.borrow().retags_receiver(f)
    }

    fn lowered(&self, f: FnId, func: &Function) {
        let l = self.0.borrow();
        if let Some(filter) = &l.dump_ir {
            let name = l.fn_name_of(f);
            if name.contains(filter.as_str()) {
                eprint!("{}", func.print(&name));
            }
        }
    }

    fn span_location(&self, span: SpanId) -> (String, u32, u32) {
        let l = self.0.borrow();
        let sm = l.tcx.sess.source_map();
        let span = l.span(span);
        let lo = sm.lookup_char_pos(span.lo());
        let file = sm.filename_for_diagnostics(&lo.file.name).to_string();
        (file, lo.line as u32, lo.col_display as u32 + 1)
    }
}

/// Whether `d` is defined with weak linkage (`#[linkage = "weak"]`): another definition of
/// its symbol takes precedence.
fn is_weak(tcx: TyCtxt<'_>, d: DefId) -> bool {
    use rustc_hir::attrs::Linkage;
    tcx.codegen_fn_attrs(d).linkage.is_some_and(|l| matches!(l, Linkage::WeakAny | Linkage::WeakODR | Linkage::ExternalWeak))
}
