//! Call signatures at the ABI level: each function instance and each call through a fn
//! pointer gets an interned `SigId` (calling convention, passed argument types, return type),
//! and two signatures are compared the way the reference interpreter compares them when a
//! fn pointer was transmuted to another type: integers by size and signedness (`char` as
//! `u32`), everything passed as one thin pointer alike, wide pointers by the kind of their
//! metadata, `repr(transparent)` wrappers and
//! `Option`-like niche wrappers and pattern types by what they wrap, 1-ZSTs with each other,
//! everything else by type.

use rustc_abi::CanonAbi;
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::{self, Instance, Ty, TyCtxt};
use rustc_span::def_id::DefId;
use vigil_ir::SigId;
use vigil_machine::CalleeSite;

use super::Lowerer;
use super::types::{layout_cx, layout_of, typing_env};

/// One interned signature: the arguments actually passed (ignored ZSTs left out).
struct Sig<'tcx> {
    conv: CanonAbi,
    /// The passed arguments (for a C-variadic signature, the fixed ones).
    args: Vec<Ty<'tcx>>,
    ret: Ty<'tcx>,
    c_variadic: bool,
}

/// The signatures seen so far, and the pairs already found compatible.
#[derive(Default)]
pub struct Sigs<'tcx> {
    list: Vec<Sig<'tcx>>,
    ids: FxHashMap<(CanonAbi, Vec<Ty<'tcx>>, Ty<'tcx>, bool), SigId>,
    compatible: FxHashSet<(SigId, SigId)>,
}

/// What decides whether two types are passed alike.
#[derive(PartialEq, Eq)]
enum AbiKey<'tcx> {
    /// Size 0, alignment 1.
    Zst,
    Int {
        size: u64,
        signed: bool,
    },
    Ptr(PtrMeta),
    Exact(Ty<'tcx>),
}

/// The metadata a pointer carries.
#[derive(PartialEq, Eq)]
enum PtrMeta {
    None,
    Len,
    /// A vtable of this principal trait.
    Vtable(Option<DefId>),
}

impl<'tcx> Lowerer<'tcx> {
    /// The signature of a function instance (as a fn pointer to it would be called).
    pub fn instance_sig(&mut self, instance: Instance<'tcx>) -> SigId {
        let tcx = self.tcx;
        match tcx.fn_abi_of_instance(typing_env().as_query_input((instance, ty::List::empty()))) {
            Ok(abi) => self.intern_sig(abi),
            Err(_) => SigId::UNKNOWN,
        }
    }

    /// The signature a call through a fn pointer of type `fn_ty` expects.
    pub fn fn_ptr_sig(&mut self, fn_ty: Ty<'tcx>) -> SigId {
        let tcx = self.tcx;
        let sig = fn_ty.fn_sig(tcx);
        if sig.abi() == rustc_abi::ExternAbi::RustCall {
            return SigId::UNKNOWN;
        }
        match tcx.fn_abi_of_fn_ptr(typing_env().as_query_input((sig, ty::List::empty()))) {
            Ok(abi) => self.intern_sig(abi),
            Err(_) => SigId::UNKNOWN,
        }
    }

    fn intern_sig(&mut self, abi: &rustc_target::callconv::FnAbi<'tcx, Ty<'tcx>>) -> SigId {
        let args: Vec<Ty<'tcx>> = abi.args.iter().filter(|a| !a.is_ignore()).map(|a| a.layout.ty).collect();
        let key = (abi.conv, args, abi.ret.layout.ty, abi.c_variadic);
        if let Some(&id) = self.sigs.ids.get(&key) {
            return id;
        }
        // Id 0 means "unknown".
        let id = SigId(self.sigs.list.len() as u32 + 1);
        self.sigs.list.push(Sig { conv: key.0, args: key.1.clone(), ret: key.2, c_variadic: key.3 });
        self.sigs.ids.insert(key, id);
        id
    }

    /// Why a call expecting `caller` may not reach a function of signature `callee` (`None`:
    /// they are compatible, or one is unknown), and where it is reported.
    pub fn abi_mismatch(&mut self, caller: SigId, callee: SigId) -> Option<(String, CalleeSite)> {
        if caller == callee || caller == SigId::UNKNOWN || callee == SigId::UNKNOWN || self.sigs.compatible.contains(&(caller, callee)) {
            return None;
        }
        let tcx = self.tcx;
        let (a, b) = (&self.sigs.list[caller.0 as usize - 1], &self.sigs.list[callee.0 as usize - 1]);
        if a.conv != b.conv {
            let msg = format!("calling a function with calling convention \"{}\" using calling convention \"{}\"", b.conv, a.conv);
            return Some((msg, CalleeSite::Call));
        }
        if a.c_variadic != b.c_variadic {
            return Some((
                "calling a function where the caller and callee disagree on whether the function is C-variadic".into(),
                CalleeSite::Call,
            ));
        }
        if a.c_variadic && a.args.len() != b.args.len() {
            let msg =
                format!("calling a C-variadic function with {} fixed arguments, but the function expects {}", a.args.len(), b.args.len());
            return Some((msg, CalleeSite::Call));
        }
        for (i, (&ca, &ce)) in a.args.iter().zip(&b.args).enumerate() {
            if abi_key(tcx, ca) != abi_key(tcx, ce) {
                let msg = format!("calling a function whose parameter #{} has type {ce} passing argument of type {ca}", i + 1);
                return Some((msg, CalleeSite::Param(i as u32)));
            }
        }
        if a.args.len() > b.args.len() {
            return Some(("calling a function with more arguments than it expected".into(), CalleeSite::Header));
        }
        if a.args.len() < b.args.len() {
            return Some(("calling a function with fewer arguments than it requires".into(), CalleeSite::Param(a.args.len() as u32)));
        }
        if abi_key(tcx, a.ret) != abi_key(tcx, b.ret) {
            let msg = format!("calling a function with return type {} passing return place of type {}", b.ret, a.ret);
            return Some((msg, CalleeSite::Return));
        }
        self.sigs.compatible.insert((caller, callee));
        None
    }
}

impl<'tcx> Lowerer<'tcx> {
    /// The span of `site` in `f`'s definition: a parameter's pattern, the return type, or
    /// the item's header (for a foreign item, the exported function it stands for).
    pub fn callee_site(&mut self, f: vigil_ir::FnId, site: CalleeSite) -> vigil_ir::SpanId {
        let tcx = self.tcx;
        let mut instance = self.instance(f);
        if tcx.is_foreign_item(instance.def_id())
            && let Some(def) = self.exported_definition(instance.def_id())
        {
            instance = def;
        }
        let def_id = instance.def_id();
        let has_body = matches!(instance.def, ty::InstanceKind::Item(_)) && tcx.is_mir_available(def_id) && !tcx.is_foreign_item(def_id);
        let span = match site {
            CalleeSite::Param(i) if has_body => {
                let body = tcx.instance_mir(instance.def);
                let local = (i as usize + 1).min(body.arg_count);
                body.local_decls[rustc_middle::mir::Local::from_usize(local)].source_info.span
            }
            CalleeSite::Return if has_body => tcx.instance_mir(instance.def).local_decls[rustc_middle::mir::RETURN_PLACE].source_info.span,
            _ => tcx.def_span(def_id),
        };
        self.span_id(span)
    }
}

/// `ty` with `repr(transparent)` wrappers and `Option`-like niche wrappers (an enum the size
/// of its one non-ZST field, e.g. `Option<&T>`) taken off.
fn unwrap<'tcx>(tcx: TyCtxt<'tcx>, mut ty: Ty<'tcx>) -> Ty<'tcx> {
    for _ in 0..64 {
        // A pattern type (`NonNull`'s pointer, `NonZero`'s integer) is passed as its base.
        if let ty::Pat(base, _) = ty.kind() {
            ty = *base;
            continue;
        }
        let layout = layout_of(tcx, ty);
        let ty::Adt(adt, _) = ty.kind() else { return ty };
        let inner = if adt.repr().transparent() {
            (0..layout.fields.count()).map(|i| layout.field(&layout_cx(tcx), i)).find(|f| !f.is_1zst())
        } else if adt.is_enum() && adt.variants().len() == 2 && layout.is_sized() {
            // One variant without data, the other with one non-ZST field as large as the enum.
            let variant_fields = |v: usize| -> Vec<_> {
                let vl = layout.for_variant(&layout_cx(tcx), rustc_abi::VariantIdx::from_usize(v));
                (0..vl.fields.count()).map(|i| vl.field(&layout_cx(tcx), i)).filter(|f| !f.is_1zst()).collect()
            };
            let (f0, f1) = (variant_fields(0), variant_fields(1));
            match (f0.as_slice(), f1.as_slice()) {
                ([only], []) | ([], [only]) if only.size == layout.size && !matches!(only.ty.kind(), ty::Adt(a, _) if a.is_enum()) => {
                    Some(*only)
                }
                _ => None,
            }
        } else {
            None
        };
        match inner {
            Some(f) => ty = f.ty,
            None => return ty,
        }
    }
    ty
}

fn abi_key<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> AbiKey<'tcx> {
    if layout_of(tcx, ty).is_1zst() {
        return AbiKey::Zst;
    }
    let ty = unwrap(tcx, ty);
    // Anything passed as one thin pointer (references, raw pointers, `Box`, `NonNull`, `Rc`,
    // fn pointers) is interchangeable, as smart pointers must be for `dyn` dispatch.
    if let rustc_abi::BackendRepr::Scalar(s) = layout_of(tcx, ty).backend_repr
        && let rustc_abi::Primitive::Pointer(_) = s.primitive()
    {
        return AbiKey::Ptr(PtrMeta::None);
    }
    let pointee = match ty.kind() {
        ty::Int(i) => return AbiKey::Int { size: i.bit_width().unwrap_or(64) / 8, signed: true },
        ty::Uint(u) => return AbiKey::Int { size: u.bit_width().unwrap_or(64) / 8, signed: false },
        ty::Char => return AbiKey::Int { size: 4, signed: false },
        ty::Ref(_, p, _) | ty::RawPtr(p, _) => *p,
        ty::Adt(..) if ty.is_box_global(tcx) => ty.expect_boxed_ty(),
        _ => return AbiKey::Exact(ty),
    };
    let meta = match tcx.struct_tail_for_codegen(pointee, typing_env()).kind() {
        ty::Slice(_) | ty::Str => PtrMeta::Len,
        ty::Dynamic(preds, ..) => PtrMeta::Vtable(preds.principal_def_id()),
        _ => PtrMeta::None,
    };
    AbiKey::Ptr(meta)
}
