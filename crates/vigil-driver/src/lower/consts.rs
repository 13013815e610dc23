//! Constants: evaluation by rustc and import of the resulting allocations (statics,
//! vtables, function pointers, type ids) into machine memory.

use rustc_middle::mir::ConstValue as RConstValue;
use rustc_middle::mir::interpret::{AllocId as RAllocId, GlobalAlloc, Scalar};
use rustc_middle::ty::{self, Ty};
use rustc_span::def_id::DefId;
use vigil_ir::{AllocId, ConstValue};
use vigil_machine::{AllocKind, Memory, Ptr};

use super::Lowerer;
use super::types::{layout_of, typing_env};

impl<'tcx> Lowerer<'tcx> {
    /// Converts an evaluated constant of type `ty` into bytes with provenance.
    pub fn const_value(&mut self, cv: RConstValue, ty: Ty<'tcx>, mem: &mut Memory) -> ConstValue {
        let size = layout_of(self.tcx, ty).size.bytes() as usize;
        let mut bytes = vec![0u8; size];
        let mut prov = Vec::new();
        match cv {
            RConstValue::Scalar(Scalar::Int(i)) => {
                let v = i.to_bits_unchecked();
                bytes.copy_from_slice(&v.to_le_bytes()[..size]);
            }
            RConstValue::Scalar(Scalar::Ptr(ptr, _)) => {
                let (p, off) = ptr.into_raw_parts();
                let target = self.import_alloc(p.alloc_id(), mem);
                bytes[..8].copy_from_slice(&(target.addr.wrapping_add(off.bytes())).to_le_bytes());
                prov.push((0u32, AllocId(target.prov.alloc)));
            }
            RConstValue::ZeroSized => {}
            RConstValue::Slice { alloc_id, meta } => {
                let target = self.import_alloc(alloc_id, mem);
                bytes[..8].copy_from_slice(&target.addr.to_le_bytes());
                bytes[8..16].copy_from_slice(&meta.to_le_bytes());
                prov.push((0u32, AllocId(target.prov.alloc)));
            }
            RConstValue::Indirect { alloc_id, offset } => {
                let alloc = self.tcx.global_alloc(alloc_id).unwrap_memory();
                let inner = alloc.inner();
                let start = offset.bytes() as usize;
                bytes.copy_from_slice(inner.inspect_with_uninit_and_ptr_outside_interpreter(start..start + size));
                let ptrs: Vec<_> = inner.provenance().ptrs().iter().map(|(o, p)| (o.bytes() as usize, *p)).collect();
                for (o, p) in ptrs {
                    if o < start || o >= start + size {
                        continue;
                    }
                    let target = self.import_alloc(p.alloc_id(), mem);
                    let rel = o - start;
                    let old = u64::from_le_bytes(bytes[rel..rel + 8].try_into().unwrap());
                    bytes[rel..rel + 8].copy_from_slice(&target.addr.wrapping_add(old).to_le_bytes());
                    prov.push((rel as u32, AllocId(target.prov.alloc)));
                }
            }
        }
        ConstValue { bytes: bytes.into(), prov: prov.into() }
    }

    /// The machine pointer for a compiler allocation, importing it on first use.
    pub fn import_alloc(&mut self, id: RAllocId, mem: &mut Memory) -> Ptr {
        if let Some(&p) = self.allocs.get(&id) {
            return p;
        }
        let tcx = self.tcx;
        let p = match tcx.global_alloc(id) {
            GlobalAlloc::Function { instance } => {
                let f = self.intern(instance);
                mem.fn_ptr(f)
            }
            GlobalAlloc::VTable(ty, dyn_ty) => self.import_vtable(ty, dyn_ty, mem),
            GlobalAlloc::Static(def_id) => self.import_static(def_id, mem),
            GlobalAlloc::Memory(alloc) => {
                let inner = alloc.inner();
                let size = inner.size().bytes();
                let p = mem.allocate(size, inner.align.bytes(), AllocKind::Global);
                // Register before filling so that cycles through this allocation resolve.
                self.allocs.insert(id, p);
                self.fill_alloc(p, alloc, mem);
                return p;
            }
            GlobalAlloc::TypeId { ty } => self.type_id_alloc(ty, mem),
        };
        self.allocs.insert(id, p);
        p
    }

    /// The vtable of `ty` for the `dyn` type with predicates `preds`, imported and marked
    /// with its trait. The vtables it points to (for upcasts to supertraits) are marked as
    /// standing for any trait, since which supertrait each serves is not recorded.
    pub fn import_vtable(&mut self, ty: Ty<'tcx>, preds: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>, mem: &mut Memory) -> Ptr {
        let tcx = self.tcx;
        let vt = tcx.vtable_allocation((ty, preds.principal().map(|p| tcx.instantiate_bound_regions_with_erased(p))));
        let p = self.import_alloc(vt, mem);
        let trait_id = self.trait_id(preds);
        mem.mark_vtable(p.prov.alloc, trait_id);
        let inner: Vec<u32> = mem.get(p.prov).prov.iter().map(|&(_, q)| q.prov().alloc).collect();
        for a in inner {
            if !matches!(mem.get(vigil_machine::Prov::base(a)).kind, AllocKind::Function(_)) {
                mem.mark_vtable_any(a);
            }
        }
        p
    }

    fn fill_alloc(&mut self, p: Ptr, alloc: rustc_middle::mir::interpret::ConstAllocation<'tcx>, mem: &mut Memory) {
        let inner = alloc.inner();
        let size = inner.size().bytes() as usize;
        let mut bytes = inner.inspect_with_uninit_and_ptr_outside_interpreter(0..size).to_vec();
        let mut prov = Vec::new();
        let ptrs: Vec<_> = inner.provenance().ptrs().iter().map(|(o, p)| (o.bytes() as usize, *p)).collect();
        for (o, pr) in ptrs {
            let target = self.import_alloc(pr.alloc_id(), mem);
            let old = u64::from_le_bytes(bytes[o..o + 8].try_into().unwrap());
            bytes[o..o + 8].copy_from_slice(&target.addr.wrapping_add(old).to_le_bytes());
            prov.push((o as u64, vigil_machine::ProvPart::whole(target.prov)));
        }
        mem.write(p, &bytes, &prov).expect("fresh allocation is writable");
        // Padding and `MaybeUninit` parts of statics stay uninitialized.
        let mask = inner.init_mask();
        if mask.is_range_initialized(rustc_middle::mir::interpret::alloc_range(rustc_abi::Size::ZERO, inner.size())).is_err() {
            for i in 0..size as u64 {
                if !mask.get(rustc_abi::Size::from_bytes(i)) {
                    mem.mark_uninit(p.offset(i), 1);
                }
            }
        }
        mem.set_mutable(p, inner.mutability.is_mut());
    }

    pub fn import_static(&mut self, def_id: DefId, mem: &mut Memory) -> Ptr {
        if let Some(&p) = self.statics.get(&def_id) {
            return p;
        }
        let tcx = self.tcx;
        if tcx.is_foreign_item(def_id) {
            let name = tcx.item_name(def_id);
            let weak = tcx.codegen_fn_attrs(def_id).import_linkage == Some(rustc_hir::attrs::Linkage::ExternalWeak);
            let p = match mem.extern_statics.get(name.as_str()) {
                Some(&p) => p,
                // A weak symbol the emulated OS does not provide reads as null ("not available"),
                // so std takes its fallback path.
                None if weak => mem.allocate(8, 8, AllocKind::Global),
                None => tcx.dcx().fatal(format!("unsupported operation: extern static `{name}` is not supported by Vigil")),
            };
            // The program's declaration must match the emulated static's layout.
            let declared = super::types::layout_of(tcx, tcx.type_of(def_id).instantiate_identity().skip_norm_wip());
            let a = mem.get(p.prov);
            if !weak && (declared.size.bytes() != a.size || declared.align.abi.bytes() != a.align) {
                tcx.dcx().span_fatal(tcx.def_span(def_id), format!(
                    "unsupported operation: extern static `{name}` has been declared as `{}` with a size of {} bytes and alignment of {} bytes, but Vigil emulates it via an extern static shim with a size of {} bytes and alignment of {} bytes",
                    tcx.def_path_str(def_id),
                    declared.size.bytes(),
                    declared.align.abi.bytes(),
                    a.size,
                    a.align
                ));
            }
            self.statics.insert(def_id, p);
            return p;
        }
        let alloc = match tcx.eval_static_initializer(def_id) {
            Ok(a) => a,
            Err(_) => tcx.dcx().fatal(format!("could not evaluate static `{}`", tcx.def_path_str(def_id))),
        };
        let inner = alloc.inner();
        let p = mem.allocate(inner.size().bytes(), inner.align.bytes(), AllocKind::Global);
        self.statics.insert(def_id, p);
        self.fill_alloc(p, alloc, mem);
        p
    }

    fn type_id_alloc(&mut self, ty: Ty<'tcx>, mem: &mut Memory) -> Ptr {
        if let Some(&p) = self.type_ids.get(&ty) {
            return p;
        }
        let p = mem.allocate(0, 1, AllocKind::Global);
        mem.set_mutable(p, false);
        self.type_ids.insert(ty, p);
        p
    }

    /// Evaluates a MIR constant (already monomorphized) of type `ty`.
    pub fn eval_const(&mut self, c: rustc_middle::mir::Const<'tcx>, span: rustc_span::Span, mem: &mut Memory) -> ConstValue {
        let ty = c.ty();
        match c.eval(self.tcx, typing_env(), span) {
            Ok(v) => self.const_value(v, ty, mem),
            Err(_) => self.tcx.dcx().span_fatal(span, "erroneous constant encountered while running the program"),
        }
    }

    /// A constant `&'static Location` for `#[track_caller]` at `span`.
    pub fn caller_location_const(&mut self, span: rustc_span::Span, mem: &mut Memory) -> ConstValue {
        let cv = self.tcx.span_as_caller_location(span);
        let ty = self.tcx.caller_location_ty();
        self.const_value(cv, ty, mem)
    }

    /// A thread-local static's dense index and its template: an immutable allocation
    /// holding the initial value, which the machine copies for each thread that uses it.
    pub fn thread_local(&mut self, def_id: DefId, mem: &mut Memory) -> (u32, Ptr) {
        if let Some(&(i, p)) = self.thread_locals.get(&def_id) {
            return (i, p);
        }
        let p = self.import_static(def_id, mem);
        mem.set_mutable(p, false);
        let i = self.thread_locals.len() as u32;
        self.thread_locals.insert(def_id, (i, p));
        (i, p)
    }
}
