//! Global constructors: the function pointers that statics of any crate place in the
//! `.init_array` sections (as the `ctor` and `inventory` crates do), which run before `main`.

use rustc_hir::def::DefKind;
use rustc_middle::middle::codegen_fn_attrs::CodegenFnAttrFlags;
use rustc_middle::mir::interpret::GlobalAlloc;
use rustc_middle::ty::{self, Instance, TyCtxt};
use rustc_span::def_id::DefId;
use vigil_machine::{Error, GlobalCtor};

use super::Lowerer;
use super::types::typing_env;

/// The section whose function pointers the loader calls before `main` on ELF targets.
const INIT_ARRAY: &str = ".init_array";

/// The place of a section among the constructor sections as the linker orders them: the
/// prioritized `.init_array.N` by ascending `N` (what `ctor` 1.x emits), then `.init_array`.
fn init_priority(section: &str) -> Option<u64> {
    let rest = section.strip_prefix(INIT_ARRAY)?;
    if rest.is_empty() {
        return Some(u64::MAX);
    }
    rest.strip_prefix('.')?.parse().ok()
}

impl<'tcx> Lowerer<'tcx> {
    /// The global constructors of the program, in the order the loader runs them: by section
    /// priority, then by crate and static.
    pub fn global_ctors(&mut self) -> Vec<GlobalCtor> {
        let tcx = self.tcx;
        let mut ctors = Vec::new();
        for def_id in init_array_statics(tcx) {
            let span = tcx.def_span(def_id);
            let listed_at = self.span_id(span);
            let ty = tcx.type_of(def_id).instantiate_identity().skip_norm_wip();
            let fn_ptrs = match ty.kind() {
                ty::FnPtr(..) => true,
                ty::Array(elem, _) => matches!(elem.kind(), ty::FnPtr(..)),
                _ => false,
            };
            if !fn_ptrs {
                let msg = format!("only function pointers and arrays of function pointers are supported in `{INIT_ARRAY}`, not `{ty}`");
                ctors.push(GlobalCtor::Error(listed_error(Error::unsupported(msg), listed_at)));
                continue;
            }
            let Ok(alloc) = tcx.eval_static_initializer(def_id) else {
                tcx.dcx().span_fatal(span, "could not evaluate a static of `.init_array`");
            };
            let count = alloc.inner().size().bytes() / 8;
            // Each slot holds a function pointer (the static's provenance, slot by slot).
            let ptrs = alloc.inner().provenance().ptrs();
            for i in 0..count {
                let offset = rustc_abi::Size::from_bytes(i * 8);
                let target = ptrs.get(&offset).map(|p| tcx.global_alloc(p.alloc_id()));
                let Some(GlobalAlloc::Function { instance }) = target else {
                    let e = Error::ub(format!("entry {i} of a constructor table is not a function pointer"));
                    ctors.push(GlobalCtor::Error(listed_error(e, listed_at)));
                    continue;
                };
                let f = self.intern(instance);
                ctors.push(match self.ctor_signature_mismatch(instance) {
                    None => GlobalCtor::Call { f, listed_at },
                    Some((msg, at)) => {
                        let mut e = Error::ub(msg);
                        let at = self.span_id(at);
                        e.backtrace.push((f, at));
                        e.history.push(("the current function got called indirectly due to this code".into(), Some((f, listed_at))));
                        GlobalCtor::Error(e)
                    }
                });
            }
        }
        ctors
    }

    /// Why calling `instance` as an `extern "C" fn()` (what the loader does) is undefined
    /// behavior, and where its signature says so; `None` if it is not. (Extra parameters are
    /// caught when the frame is pushed, as for any call.)
    fn ctor_signature_mismatch(&self, instance: Instance<'tcx>) -> Option<(String, rustc_span::Span)> {
        let tcx = self.tcx;
        let sig = tcx.normalize_erasing_late_bound_regions(typing_env(), instance.ty(tcx, typing_env()).fn_sig(tcx));
        let def_id = instance.def_id();
        let decl = def_id.as_local().and_then(|d| tcx.hir_node_by_def_id(d).fn_decl());
        if !sig.output().is_unit() {
            let at = decl.map_or_else(|| tcx.def_span(def_id), |d| d.output.span());
            return Some((format!("calling a function with return type {} passing return place of type ()", sig.output()), at));
        }
        if !matches!(sig.abi(), rustc_abi::ExternAbi::C { .. }) {
            return Some((
                format!("calling a function with calling convention {} using calling convention \"C\"", sig.abi()),
                tcx.def_span(def_id),
            ));
        }
        None
    }
}

/// The statics placed in `.init_array` sections: in the local crate those kept by `#[used]`
/// or exported, then those of every dependency outside the sysroot (std's own start-up hook
/// is replaced by Vigil's start, and walking std's definitions costs more than a small
/// program's whole run).
fn init_array_statics(tcx: TyCtxt<'_>) -> Vec<DefId> {
    let in_section = |d: DefId| {
        matches!(tcx.def_kind(d), DefKind::Static { .. })
            && tcx.codegen_fn_attrs(d).link_section.is_some_and(|s| init_priority(s.as_str()).is_some())
    };
    let mut statics: Vec<DefId> = tcx
        .hir_crate_items(())
        .definitions()
        .map(|d| d.to_def_id())
        .filter(|&d| in_section(d))
        .filter(|&d| {
            let attrs = tcx.codegen_fn_attrs(d);
            attrs.contains_extern_indicator() || attrs.flags.intersects(CodegenFnAttrFlags::USED_COMPILER | CodegenFnAttrFlags::USED_LINKER)
        })
        .collect();
    statics.extend(super::dependency_definitions(tcx).filter(|&d| in_section(d)));
    // (A stable sort: within a priority, crates and statics keep their order.)
    statics.sort_by_key(|&d| tcx.codegen_fn_attrs(d).link_section.and_then(|s| init_priority(s.as_str())));
    statics
}

/// `e` about the constructor table listed at `listed_at` (no function of it runs yet).
fn listed_error(mut e: Error, listed_at: vigil_ir::SpanId) -> Error {
    e.history.push(("the constructor table is defined here".into(), Some((vigil_ir::FnId(0), listed_at))));
    e
}

#[cfg(test)]
mod tests {
    use super::init_priority;

    #[test]
    fn sections_order_as_the_linker_orders_them() {
        assert_eq!(init_priority(".init_array.00099"), Some(99));
        assert_eq!(init_priority(".init_array.500"), Some(500));
        assert_eq!(init_priority(".init_array"), Some(u64::MAX));
        assert_eq!(init_priority(".init_arrayx"), None);
        assert_eq!(init_priority(".init_array.early"), None);
        assert_eq!(init_priority(".fini_array"), None);
    }
}
