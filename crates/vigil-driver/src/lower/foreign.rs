//! Calls of foreign functions: which emulated function a foreign item is, the check of the
//! program's declaration against that function's C signature, and the wrapper that makes a
//! foreign function callable through a function pointer.

use rustc_abi::{BackendRepr, Float, Integer, Primitive};
use rustc_middle::ty::{self, Instance, Ty, TyCtxt};
use rustc_span::def_id::DefId;
use vigil_ir::{CType, ForeignShim};
use vigil_ir::{Callee, Function, Inst, LocalSlot, Operand, Param, Place, Unwind};

use super::Lowerer;
use super::types::{layout_of, size_of, typing_env};
use rustc_data_structures::fx::FxHashMap;

/// Why calling the foreign item `def_id` as the program declares it is undefined behavior
/// (in Miri's words), or `None` if its declaration has the emulated function's signature:
/// the variadic shape, the number of fixed parameters, and each parameter's and the return
/// type's ABI type (types the ABI guarantees compatible are accepted: any thin pointer for a
/// pointer, `usize` for `u64`, a `repr(transparent)` wrapper for what it wraps).
pub fn declaration_mismatch(tcx: TyCtxt<'_>, def_id: DefId, shim: ForeignShim) -> Option<String> {
    let sig = tcx.fn_sig(def_id).skip_binder().skip_binder();
    let expected = shim.signature();
    let declared = sig.inputs().len();
    let fixed = expected.params.len();
    match (expected.variadic, sig.c_variadic()) {
        (true, false) => return Some("calling a variadic function with a non-variadic caller-side signature".into()),
        (false, true) => {
            return Some("ABI mismatch: calling a non-variadic function with a variadic caller-side signature".into());
        }
        (true, true) if declared != fixed => {
            return Some(format!(
                "incorrect number of fixed arguments for variadic function `{}`: got {declared}, expected {fixed}",
                shim.name()
            ));
        }
        (false, false) if declared != fixed => {
            return Some(format!("incorrect number of arguments for `{}`: got {declared}, expected {fixed}", shim.name()));
        }
        _ => {}
    }
    for (i, (&want, &ty)) in expected.params.iter().zip(sig.inputs()).enumerate() {
        let got = ctype(tcx, ty);
        if want.accepts(got) {
            continue;
        }
        let size = layout_of(tcx, ty).size.bytes();
        return Some(match want.size() {
            Some(want_size) if u64::from(want_size) != size => {
                format!("scalar size mismatch: expected {want_size} bytes but got {size} bytes instead")
            }
            _ => format!("calling a function whose parameter #{} has type {} passing argument of type {ty}", i + 1, want.name()),
        });
    }
    if expected.ret == CType::MiriFrame {
        return miri_frame_mismatch(sig.output());
    }
    let got = ctype(tcx, sig.output());
    if !expected.ret.accepts(got) {
        return Some(format!("calling a function with return type {} passing return place of type {}", expected.ret.name(), sig.output()));
    }
    None
}

/// Why `ty` cannot be the `MiriFrame` that `miri_resolve_frame` returns.
fn miri_frame_mismatch(ty: Ty<'_>) -> Option<String> {
    match ty.kind() {
        ty::Adt(adt, _) if adt.is_struct() && (4..=5).contains(&adt.non_enum_variant().fields.len()) => {
            (!adt.repr().c()).then(|| "miri_resolve_frame must be declared with a `#[repr(C)]` return type".into())
        }
        _ => Some("bad declaration of miri_resolve_frame - should return a struct with 5 fields".into()),
    }
}

impl<'tcx> Lowerer<'tcx> {
    /// The Rust function a `#[global_allocator]` defines for the allocator entry `shim`
    /// (`__rust_alloc` and its siblings, which the program's allocator then serves instead of
    /// Vigil's Rust heap), or `None` when the program uses the default allocator. The
    /// defining crate is searched once.
    pub fn global_allocator_fn(&mut self, shim: ForeignShim) -> Option<Instance<'tcx>> {
        use vigil_ir::AllocShim::*;
        if shim == ForeignShim::Alloc(RustAllocErrorHandler) {
            return self.alloc_error_handler_fn();
        }
        let ForeignShim::Alloc(RustAlloc | RustAllocZeroed | RustDealloc | RustRealloc) = shim else { return None };
        let tcx = self.tcx;
        let fns = self.global_alloc_fns.get_or_insert_with(|| {
            if tcx.allocator_kind(()) != Some(rustc_ast::expand::allocator::AllocatorKind::Global) {
                return FxHashMap::default();
            }
            let Some(krate) = std::iter::once(rustc_span::def_id::LOCAL_CRATE)
                .chain(tcx.crates(()).iter().copied())
                .find(|&c| tcx.has_global_allocator(c))
            else {
                return FxHashMap::default();
            };
            crate_fns(tcx, krate)
                .filter_map(|d| tcx.opt_item_name(d).map(|n| (n.to_string(), d)))
                .filter(|(n, _)| n.starts_with("__rust_"))
                .collect()
        });
        fns.get(shim.name()).map(|&d| Instance::mono(tcx, d))
    }
}

impl<'tcx> Lowerer<'tcx> {
    /// What `__rust_alloc_error_handler` is: the definition the `#[alloc_error_handler]`
    /// attribute generates (std's `rust_oom`, which runs the hook set with
    /// `set_alloc_error_hook`), else alloc's default `__rdl_alloc_error_handler`.
    fn alloc_error_handler_fn(&mut self) -> Option<Instance<'tcx>> {
        use rustc_ast::expand::allocator::AllocatorKind;
        let tcx = self.tcx;
        let def = *self.alloc_error_handler.get_or_insert_with(|| {
            let crates = || std::iter::once(rustc_span::def_id::LOCAL_CRATE).chain(tcx.crates(()).iter().copied());
            let (name, krate) = match tcx.alloc_error_handler_kind(())? {
                AllocatorKind::Global => ("__rust_alloc_error_handler", crates().find(|&c| tcx.has_alloc_error_handler(c))?),
                AllocatorKind::Default => ("__rdl_alloc_error_handler", crates().find(|&c| tcx.crate_name(c).as_str() == "alloc")?),
            };
            crate_fns(tcx, krate).find(|&d| tcx.opt_item_name(d).is_some_and(|n| n.as_str() == name))
        });
        def.map(|d| Instance::mono(tcx, d))
    }
}

/// The functions (not foreign items) crate `krate` defines: the local crate's from HIR,
/// another crate's by walking its definitions.
fn crate_fns(tcx: TyCtxt<'_>, krate: rustc_span::def_id::CrateNum) -> impl Iterator<Item = DefId> + '_ {
    let defs: Vec<DefId> = if krate == rustc_span::def_id::LOCAL_CRATE {
        tcx.hir_crate_items(()).definitions().map(|d| d.to_def_id()).collect()
    } else {
        let cstore = rustc_metadata::creader::CStore::from_tcx(tcx);
        (0..cstore.num_def_ids_untracked(krate)).map(|i| DefId { krate, index: rustc_span::def_id::DefIndex::from_usize(i) }).collect()
    };
    defs.into_iter().filter(move |&d| matches!(tcx.def_kind(d), rustc_hir::def::DefKind::Fn) && !tcx.is_foreign_item(d))
}

/// How the ABI sees a declared type (`CType::Any` for what is not one scalar).
fn ctype<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> CType {
    match ty.kind() {
        ty::Tuple(t) if t.is_empty() => return CType::Unit,
        ty::Never => return CType::Never,
        ty::Bool => return CType::Bool,
        ty::Char => return CType::Any,
        _ => {}
    }
    let BackendRepr::Scalar(s) = layout_of(tcx, ty).backend_repr else {
        return CType::Any;
    };
    match s.primitive() {
        Primitive::Int(i, signed) => match (i, signed) {
            (Integer::I8, true) => CType::I8,
            (Integer::I8, false) => CType::U8,
            (Integer::I16, true) => CType::I16,
            (Integer::I16, false) => CType::U16,
            (Integer::I32, true) => CType::I32,
            (Integer::I32, false) => CType::U32,
            (Integer::I64, true) => CType::I64,
            (Integer::I64, false) => CType::U64,
            (Integer::I128, _) => CType::Any,
        },
        Primitive::Float(Float::F32) => CType::F32,
        Primitive::Float(Float::F64) => CType::F64,
        Primitive::Float(_) => CType::Any,
        Primitive::Pointer(_) => CType::Ptr,
    }
}

/// The shim for a foreign function, by its link name.
pub fn foreign_shim(tcx: TyCtxt<'_>, def_id: DefId) -> Option<ForeignShim> {
    let attrs = tcx.codegen_fn_attrs(def_id);
    let name = attrs.symbol_name.unwrap_or_else(|| tcx.item_name(def_id));
    ForeignShim::from_name(name.as_str()).or_else(|| ForeignShim::from_name(tcx.item_name(def_id).as_str()))
}

/// A function whose body forwards its parameters to a foreign shim (for fn pointers to
/// foreign functions).
pub fn foreign_wrapper<'tcx>(lw: &mut Lowerer<'tcx>, instance: Instance<'tcx>) -> Function {
    let tcx = lw.tcx;
    let def_id = instance.def_id();
    let sig = tcx.normalize_erasing_late_bound_regions(typing_env(), tcx.fn_sig(def_id).instantiate(tcx, instance.args).skip_norm_wip());
    let span = lw.span_id(tcx.def_span(def_id));
    let mut frame = 0u32;
    let mut locals = Vec::new();
    let mut params = Vec::new();
    let mut args = Vec::new();
    let ret_size = size_of(tcx, sig.output());
    locals.push(LocalSlot::Reg { off: 0 });
    frame += ret_size.next_multiple_of(8);
    for (i, ty) in sig.inputs().iter().enumerate() {
        let size = size_of(tcx, *ty);
        locals.push(LocalSlot::Reg { off: frame });
        params.push(Param { local: i as u32 + 1, offset: 0, size });
        args.push((Operand::Reg(frame), size));
        frame += size.next_multiple_of(8);
    }
    let call = match foreign_shim(tcx, def_id) {
        Some(s) if let Some(msg) = declaration_mismatch(tcx, def_id, s) => Inst::Ub { msg: msg.into() },
        Some(s) => Inst::Call {
            callee: Callee::Foreign(s),
            args: args.into(),
            dst: 0,
            ret_size,
            target: Some(vigil_ir::Label(1)),
            unwind: Unwind::Continue,
            caller_location: None,
        },
        None => Inst::Unsupported { msg: format!("can't call foreign function `{}` on OS `linux`", tcx.item_name(def_id)).into() },
    };
    Function {
        sig: vigil_ir::SigId::UNKNOWN,
        c_variadic: false,
        byte_regs: Box::new([]),
        inlined: Box::new([]),
        site_spans: Box::new([]),
        thin_places: Box::new([]),
        frame_size: frame,
        locals,
        always_live: vec![],
        storage_managed: vec![],
        params,
        caller_location: None,
        ret_place: Place::reg(0),
        ret_size,
        code: vec![call, Inst::Return],
        spans: vec![span, span],
        places: vec![Place::reg(0)],
        consts: vec![],
    }
}
