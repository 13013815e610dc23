//! Lowering of one MIR body: frame layout, places, operands, statements and terminators.

use rustc_middle::mir::{
    self, AggregateKind, BasicBlock, Body, CastKind, Local, NonDivergingIntrinsic, ProjectionElem, Rvalue, StatementKind, TerminatorKind,
};
use rustc_middle::ty::adjustment::PointerCoercion;
use rustc_middle::ty::{self, EarlyBinder, Instance, InstanceKind, Ty, TypeFoldable};
use rustc_span::Span;
use vigil_ir::{
    BinOp, Callee, CastOp, ConstValue, Function, Inst, IntTy, Label, LocalSlot, MetaSource, Operand, Param, Place, PlaceBase, PlaceId,
    Proj, RefKind, RetagMode, ScalarCheck, SpanId, UnOp, UnsizeStep, Unwind,
};
use vigil_machine::{Error, Memory};

use super::Lowerer;
use super::call::CallEnd;
use super::types::{discr_info, drop_is_noop, float_ty, int_ty, is_thin_ptr, layout_of, scalar_ty, size_of, typing_env, variant_layout};

/// Whether computing `place` offsets from a pointer the program dereferences (in-bounds
/// pointer arithmetic, checked when its address is taken); decided here so that the places of
/// a memory-backed local's own fields are not checked at run time.
pub(super) fn offsets_through_deref(place: &mir::Place<'_>) -> bool {
    place.projection.iter().position(|e| e == ProjectionElem::Deref).is_some_and(|i| i + 1 < place.projection.len())
}

/// Jump target meaning "the next instruction".
pub(super) const NEXT: u32 = u32::MAX;

pub(super) struct FnLower<'a, 'tcx> {
    pub lw: &'a mut Lowerer<'tcx>,
    pub mem: &'a mut Memory,
    pub instance: Instance<'tcx>,
    pub body: &'tcx Body<'tcx>,
    pub locals: Vec<LocalSlot>,
    pub frame_size: u32,
    pub code: Vec<Inst>,
    pub spans: Vec<SpanId>,
    pub places: Vec<Place>,
    pub consts: Vec<ConstValue>,
    /// Out-of-line blocks (panic calls, terminate handlers); label = n_blocks + index.
    pub extra: Vec<Vec<(Inst, SpanId)>>,
    pub caller_location: Option<u32>,
    /// A 16-byte register temporary for pointers built just before a call.
    pub ptr_temp: Option<u32>,
    /// Per local: unsized (a parameter of `unsized_fn_params`, passed by reference as in the
    /// ABI, or a temporary moved into one): its registers hold a fat pointer to the value,
    /// and its place is behind it.
    pub by_ref: Vec<bool>,
    /// Register ranges of the locals whose type holds a union (`Function::byte_regs`).
    pub byte_regs: Vec<(u32, u32)>,
    /// Per block ending in a drop of a value in registers: the local in memory (with
    /// storage markers) the value is moved into to be dropped in place there.
    pub drop_temps: Vec<Option<u32>>,
    pub cur_span: Span,
}

pub fn lower_instance<'tcx>(lw: &mut Lowerer<'tcx>, instance: Instance<'tcx>, mem: &mut Memory) -> Result<Function, Error> {
    let body = lw.tcx.instance_mir(instance.def);
    let mut fl = FnLower {
        lw,
        mem,
        instance,
        body,
        locals: Vec::new(),
        frame_size: 0,
        code: Vec::new(),
        spans: Vec::new(),
        places: Vec::new(),
        consts: Vec::new(),
        extra: Vec::new(),
        caller_location: None,
        ptr_temp: None,
        by_ref: Vec::new(),
        byte_regs: Vec::new(),
        drop_temps: Vec::new(),
        cur_span: body.span,
    };
    Ok(fl.lower())
}

impl<'a, 'tcx> FnLower<'a, 'tcx> {
    pub fn tcx(&self) -> ty::TyCtxt<'tcx> {
        self.lw.tcx
    }

    pub fn mono<T: TypeFoldable<ty::TyCtxt<'tcx>>>(&self, v: T) -> T {
        self.instance.instantiate_mir_and_normalize_erasing_regions(self.tcx(), typing_env(), EarlyBinder::bind(v))
    }

    pub(super) fn local_ty(&self, l: Local) -> Ty<'tcx> {
        self.mono(self.body.local_decls[l].ty)
    }

    /// Reserves `size` bytes of registers aligned to `align` (at most 8).
    pub(super) fn reserve(&mut self, size: u32, align: u32) -> u32 {
        let off = self.frame_size.next_multiple_of(align.clamp(1, 8));
        self.frame_size = off + size;
        off
    }

    fn lower(&mut self) -> Function {
        let tcx = self.tcx();
        let body = self.body;
        let n = body.local_decls.len();
        // Locals whose address is taken, or that are dropped in place on the way to a
        // return, live in memory. (One that is dropped only while unwinding, a value moved
        // on otherwise, stays in registers: such a drop moves it into a temporary in memory
        // first, `drop_temps`. Its address was never taken, so no pointer can tell the two
        // apart.)
        let mut in_mem = vec![false; n];
        let mut has_storage = vec![false; n];
        // The drops made only while unwinding: (block, local, type, where the drop goes on).
        let mut unwinding_drops = Vec::new();
        for (block, bb) in body.basic_blocks.iter_enumerated() {
            for stmt in &bb.statements {
                match &stmt.kind {
                    StatementKind::Assign(a) => match &a.1 {
                        Rvalue::Ref(_, _, p) | Rvalue::RawPtr(_, p) if !p.projection.iter().any(|e| e == ProjectionElem::Deref) => {
                            in_mem[p.local.as_usize()] = true;
                        }
                        _ => {}
                    },
                    StatementKind::StorageLive(l) | StatementKind::StorageDead(l) => has_storage[l.as_usize()] = true,
                    _ => {}
                }
            }
            // (A drop that does nothing, of a type without drop glue, lowers to a jump.)
            if let TerminatorKind::Drop { place, target, .. } = &bb.terminator().kind
                && !place.projection.iter().any(|e| e == ProjectionElem::Deref)
            {
                let ty = self.mono(place.ty(body, tcx).ty);
                if drop_is_noop(tcx, ty) {
                    continue;
                }
                if bb.is_cleanup {
                    unwinding_drops.push((block, place.local, ty, *target));
                } else {
                    in_mem[place.local.as_usize()] = true;
                }
            }
        }
        let mut always_live = Vec::new();
        let mut storage_managed = Vec::new();
        for (i, decl) in body.local_decls.iter().enumerate() {
            let ty = self.mono(decl.ty);
            let by_ref = !ty.is_sized(tcx, typing_env());
            self.by_ref.push(by_ref);
            if by_ref {
                // (The ABI passes an unsized argument by reference: the fat pointer.)
                let off = self.reserve(16, 8);
                self.locals.push(LocalSlot::Reg { off });
                continue;
            }
            let layout = layout_of(tcx, ty);
            let (size, align) = (layout.size.bytes() as u32, layout.align.bytes() as u32);
            if in_mem[i] {
                let ptr_off = self.reserve(8, 8);
                self.locals.push(LocalSlot::Mem { ptr_off, size, align });
                if has_storage[i] { storage_managed.push(i as u32) } else { always_live.push(i as u32) }
            } else {
                let off = self.reserve(size, align);
                self.locals.push(LocalSlot::Reg { off });
                if size > 0 && self.lw.holds_union(layout) {
                    self.byte_regs.push((off, size));
                }
            }
        }
        // The temporaries of drops of values in registers (while unwinding), each freed
        // where its drop goes on to.
        let mut frees_at = vec![Vec::new(); body.basic_blocks.len()];
        self.drop_temps = vec![None; body.basic_blocks.len()];
        for (block, local, ty, target) in unwinding_drops {
            if self.by_ref[local.as_usize()] || !matches!(self.locals[local.as_usize()], LocalSlot::Reg { .. }) {
                continue;
            }
            let layout = layout_of(tcx, ty);
            let ptr_off = self.reserve(8, 8);
            self.locals.push(LocalSlot::Mem { ptr_off, size: layout.size.bytes() as u32, align: layout.align.bytes() as u32 });
            let temp = self.locals.len() as u32 - 1;
            storage_managed.push(temp);
            self.drop_temps[block.as_usize()] = Some(temp);
            frees_at[target.as_usize()].push(temp);
        }
        if self.instance.def.requires_caller_location(tcx) {
            self.caller_location = Some(self.reserve(8, 8));
        }
        // Parameters; a spread argument receives the trailing arguments as tuple fields.
        let mut params = Vec::new();
        for i in 1..=body.arg_count {
            let local = Local::from_usize(i);
            let ty = self.local_ty(local);
            if Some(local) == body.spread_arg {
                let layout = layout_of(tcx, ty);
                let ty::Tuple(fields) = ty.kind() else { panic!("spread argument is not a tuple") };
                for (j, fty) in fields.iter().enumerate() {
                    let size = size_of(tcx, fty);
                    // Like the Rust ABI, zero-sized arguments are not passed at all.
                    if size > 0 {
                        params.push(Param { local: i as u32, offset: layout.fields.offset(j).bytes() as u32, size });
                    }
                }
            } else {
                let size = if self.by_ref[i] { 16 } else { size_of(tcx, ty) };
                if size > 0 {
                    params.push(Param { local: i as u32, offset: 0, size });
                }
            }
        }
        let ret_place = self.local_place(Local::from_usize(0));
        let ret_size = size_of(tcx, self.local_ty(Local::from_usize(0)));

        // Arguments must be valid for their types (cheap initialization-only checks are left
        // to the uses of the values).
        self.cur_span = body.span;
        let no_writable = rustc_hir::find_attr!(self.tcx(), self.instance.def_id(), rustc_hir::attrs::AttributeKind::RustcNoWritable);
        let entry_retag = if no_writable { RetagMode::FnEntryNoImplicitWrites } else { RetagMode::FnEntry };
        for i in 1..=body.arg_count {
            let local = Local::from_usize(i);
            // (An unsized argument's value is the caller's place, validated there.)
            if Some(local) == body.spread_arg || self.by_ref[i] {
                continue;
            }
            if let Some(v) = self.lw.validity(self.local_ty(local))
                && !super::validity::only_init(&v)
            {
                // A bad argument is reported at its declaration, as rustc's engine does.
                self.cur_span = body.local_decls[local].source_info.span;
                let place = self.local_place(local);
                let place = self.add_place(place);
                self.emit(Inst::Validate { place, validity: v, retag: entry_retag });
            }
        }

        let nblocks = body.basic_blocks.len();
        let mut starts = vec![0u32; nblocks];
        for (bb, data) in body.basic_blocks.iter_enumerated() {
            starts[bb.as_usize()] = self.code.len() as u32;
            // (Where a drop through a temporary returns to, the temporary ends; on another
            // way in, its end does nothing.)
            for &temp in &frees_at[bb.as_usize()] {
                self.cur_span = data.terminator().source_info.span;
                self.emit(Inst::StorageDead { local: temp });
            }
            for stmt in &data.statements {
                self.cur_span = stmt.source_info.span;
                self.lower_statement(&stmt.kind);
            }
            let term = data.terminator();
            self.cur_span = term.source_info.span;
            self.lower_terminator(bb, &term.kind);
        }
        let mut extra_starts = Vec::new();
        for block in std::mem::take(&mut self.extra) {
            extra_starts.push(self.code.len() as u32);
            for (inst, span) in block {
                self.code.push(inst);
                self.spans.push(span);
            }
        }
        let map = |l: u32, here: usize| -> u32 {
            if l == NEXT {
                here as u32 + 1
            } else if (l as usize) < nblocks {
                starts[l as usize]
            } else {
                extra_starts[l as usize - nblocks]
            }
        };
        for (i, inst) in self.code.iter_mut().enumerate() {
            inst.for_each_target(&mut |l| l.0 = map(l.0, i));
        }
        let def_id = body.source.def_id();
        let c_variadic = matches!(body.source.instance, InstanceKind::Item(_))
            && matches!(tcx.def_kind(def_id), rustc_hir::def::DefKind::Fn | rustc_hir::def::DefKind::AssocFn)
            && tcx.fn_sig(def_id).skip_binder().c_variadic();
        Function {
            sig: vigil_ir::SigId::UNKNOWN,
            c_variadic,
            byte_regs: std::mem::take(&mut self.byte_regs).into(),
            inlined: Box::new([]),
            site_spans: Box::new([]),
            thin_places: Box::new([]),
            frame_size: self.frame_size.next_multiple_of(8),
            locals: std::mem::take(&mut self.locals),
            always_live,
            storage_managed,
            params,
            caller_location: self.caller_location,
            ret_place,
            ret_size,
            code: std::mem::take(&mut self.code),
            spans: std::mem::take(&mut self.spans),
            places: std::mem::take(&mut self.places),
            consts: std::mem::take(&mut self.consts),
        }
    }

    pub fn emit(&mut self, inst: Inst) {
        let s = self.lw.span_id(self.cur_span);
        self.code.push(inst);
        self.spans.push(s);
    }

    /// Adds an out-of-line block and returns its label.
    pub(super) fn extra_block(&mut self, insts: Vec<Inst>) -> u32 {
        let s = self.lw.span_id(self.cur_span);
        let label = (self.body.basic_blocks.len() + self.extra.len()) as u32;
        self.extra.push(insts.into_iter().map(|i| (i, s)).collect());
        label
    }

    // ---- places and operands ----

    pub(super) fn local_place(&self, l: Local) -> Place {
        if self.by_ref[l.as_usize()] {
            let LocalSlot::Reg { off } = self.locals[l.as_usize()] else { unreachable!("by-reference locals are in registers") };
            return Place { base: PlaceBase::Reg(off), projs: Box::new([Proj::Deref { fat: true }]), align: 1 };
        }
        match self.locals[l.as_usize()] {
            LocalSlot::Reg { off } => Place::reg(off),
            // The local's own allocation has the local's alignment: no check needed.
            LocalSlot::Mem { ptr_off, .. } => {
                Place { base: PlaceBase::Reg(ptr_off), projs: Box::new([Proj::Deref { fat: false }]), align: 1 }
            }
        }
    }

    pub fn add_place(&mut self, mut p: Place) -> PlaceId {
        if !self.lw.alignment_check {
            // `-Zmiri-disable-alignment-check`: no place requires alignment.
            p.align = 1;
        }
        self.places.push(p);
        (self.places.len() - 1) as PlaceId
    }

    pub fn reg_place(&mut self, off: u32) -> PlaceId {
        self.add_place(Place::reg(off))
    }

    /// `place` shifted by a field offset.
    pub fn field_place(&mut self, pid: PlaceId, offset: u32, keep_meta: bool) -> PlaceId {
        let p = &self.places[pid as usize];
        let new = if p.projs.is_empty() {
            let PlaceBase::Reg(b) = p.base;
            Place::reg(b + offset)
        } else {
            let mut projs = p.projs.to_vec();
            projs.push(Proj::Field { offset, keep_meta });
            // A field's alignment is not known here; keep only what the offset guarantees.
            let align = if offset == 0 { p.align } else { p.align.min(1 << offset.trailing_zeros().min(12)) };
            Place { base: p.base, projs: projs.into(), align }
        };
        self.add_place(new)
    }

    /// The place `*op` for a pointer operand whose pointee needs alignment `align`.
    pub fn deref_operand(&mut self, op: Operand, fat: bool, align: u32) -> PlaceId {
        let place = match op {
            Operand::Reg(off) => Place { base: PlaceBase::Reg(off), projs: Box::new([Proj::Deref { fat }]), align },
            Operand::Place(pid) => {
                let p = &self.places[pid as usize];
                let mut projs = p.projs.to_vec();
                projs.push(Proj::Deref { fat });
                Place { base: p.base, projs: projs.into(), align }
            }
            Operand::Const(c) => {
                // Materialize the constant pointer in a temporary register first.
                let t = self.pointer_temp();
                self.emit(Inst::ConstReg { dst: t, src: c, size: if fat { 16 } else { 8 } });
                Place { base: PlaceBase::Reg(t), projs: Box::new([Proj::Deref { fat }]), align }
            }
        };
        self.add_place(place)
    }

    pub fn pointer_temp(&mut self) -> u32 {
        match self.ptr_temp {
            Some(t) => t,
            None => {
                let t = self.reserve(16, 8);
                self.ptr_temp = Some(t);
                t
            }
        }
    }

    pub fn lower_place(&mut self, place: mir::Place<'tcx>) -> PlaceId {
        let tcx = self.tcx();
        let base = self.local_place(place.local);
        let PlaceBase::Reg(mut base_off) = base.base;
        let mut projs = base.projs.to_vec();
        let mut layout = layout_of(tcx, self.local_ty(place.local));
        let mut cur_ty = layout.ty;
        // Required alignment of accesses: the pointee's after a deref, restricted by each
        // projection (fields of packed structs need less).
        let mut align: u32 = 1;
        for (i, elem) in place.projection.iter().enumerate() {
            let next_ty = self.mono(mir::Place::ty_from(place.local, &place.projection[..=i], self.body, tcx).ty);
            match elem {
                ProjectionElem::Deref => {
                    projs.push(Proj::Deref { fat: !is_thin_ptr(tcx, cur_ty) });
                    align = layout_of(tcx, next_ty).align.bytes() as u32;
                    cur_ty = next_ty;
                    layout = layout_of(tcx, cur_ty);
                    continue;
                }
                ProjectionElem::Field(f, _) => {
                    let offset = layout.fields.offset(f.as_usize()).bytes() as u32;
                    let sized = next_ty.is_sized(tcx, typing_env());
                    let tail = if sized { None } else { Some(tcx.struct_tail_for_codegen(next_ty, typing_env())) };
                    let dyn_tail = matches!(tail.map(|t| t.kind()), Some(ty::Dynamic(..)));
                    if offset != 0 && matches!(tail.map(|t| t.kind()), Some(ty::Foreign(..))) {
                        // Its alignment is unknown, so the field could start anywhere.
                        self.emit(Inst::Unsupported { msg: "`extern type` field does not have a known offset".into() });
                    }
                    if dyn_tail && offset != 0 {
                        let pack = match cur_ty.kind() {
                            ty::Adt(adt, _) => adt.repr().pack.map_or(0, |p| p.bytes() as u32),
                            _ => 0,
                        };
                        projs.push(Proj::DynTail { offset, pack });
                    } else if projs.is_empty() {
                        base_off += offset;
                    } else {
                        projs.push(Proj::Field { offset, keep_meta: !sized });
                    }
                }
                ProjectionElem::Index(l) => {
                    let index = self.local_operand(l);
                    let (elem_size, len) = match cur_ty.kind() {
                        ty::Array(e, n) => (size_of(tcx, *e), n.try_to_target_usize(tcx)),
                        ty::Slice(e) => (size_of(tcx, *e), None),
                        _ => (0, None),
                    };
                    projs.push(Proj::Index { index, elem_size, len });
                }
                ProjectionElem::ConstantIndex { offset, from_end, .. } => {
                    let (elem_size, len) = match cur_ty.kind() {
                        ty::Array(e, n) => (size_of(tcx, *e), n.try_to_target_usize(tcx)),
                        ty::Slice(e) => (size_of(tcx, *e), None),
                        _ => (0, None),
                    };
                    match (len, from_end) {
                        (n, _) if n.is_some() || !from_end => {
                            let idx = if from_end { n.unwrap() - offset } else { offset };
                            let off = (idx * elem_size as u64) as u32;
                            if projs.is_empty() {
                                base_off += off;
                            } else {
                                projs.push(Proj::Field { offset: off, keep_meta: false });
                            }
                        }
                        _ => projs.push(Proj::ConstIndex { offset, from_end, elem_size }),
                    }
                }
                ProjectionElem::Subslice { from, to, from_end } => {
                    let elem_size = match cur_ty.kind() {
                        ty::Array(e, _) | ty::Slice(e) => size_of(tcx, *e),
                        _ => 1,
                    };
                    if from_end {
                        projs.push(Proj::Subslice { from, to, elem_size });
                    } else {
                        let off = (from * elem_size as u64) as u32;
                        if projs.is_empty() {
                            base_off += off;
                        } else {
                            projs.push(Proj::Field { offset: off, keep_meta: false });
                        }
                    }
                }
                ProjectionElem::Downcast(_, v) => {
                    layout = variant_layout(tcx, layout, v);
                    continue;
                }
                ProjectionElem::OpaqueCast(_) | ProjectionElem::UnwrapUnsafeBinder(_) => {}
            }
            cur_ty = next_ty;
            layout = layout_of(tcx, cur_ty);
            align = align.min(layout.align.bytes() as u32);
        }
        self.add_place(Place { base: PlaceBase::Reg(base_off), projs: projs.into(), align })
    }

    fn local_operand(&mut self, l: Local) -> Operand {
        match self.locals[l.as_usize()] {
            LocalSlot::Reg { off } => Operand::Reg(off),
            LocalSlot::Mem { .. } => {
                let p = self.local_place(l);
                Operand::Place(self.add_place(p))
            }
        }
    }

    pub fn place_operand(&self, pid: PlaceId) -> Operand {
        let p = &self.places[pid as usize];
        match (p.base, p.projs.is_empty()) {
            (PlaceBase::Reg(off), true) => Operand::Reg(off),
            _ => Operand::Place(pid),
        }
    }

    pub fn add_const(&mut self, cv: ConstValue) -> Operand {
        self.consts.push(cv);
        Operand::Const((self.consts.len() - 1) as u32)
    }

    pub fn operand_ty(&self, op: &mir::Operand<'tcx>) -> Ty<'tcx> {
        self.mono(op.ty(self.body, self.tcx()))
    }

    /// Lowers an operand; returns it with its size.
    pub fn lower_operand(&mut self, op: &mir::Operand<'tcx>) -> (Operand, u32) {
        let tcx = self.tcx();
        let ty = self.operand_ty(op);
        let size = size_of(tcx, ty);
        match op {
            mir::Operand::Copy(p) | mir::Operand::Move(p) => {
                let pid = self.lower_place(*p);
                (self.place_operand(pid), size)
            }
            mir::Operand::Constant(c) => {
                let c = self.mono(c.const_);
                let cv = self.lw.eval_const(c, self.cur_span, self.mem);
                (self.add_const(cv), size)
            }
            mir::Operand::RuntimeChecks(k) => {
                let v = match k {
                    mir::RuntimeChecks::UbChecks => tcx.sess.ub_checks(),
                    mir::RuntimeChecks::ContractChecks => tcx.sess.contract_checks(),
                    mir::RuntimeChecks::OverflowChecks => tcx.sess.overflow_checks(),
                };
                (self.add_const(ConstValue { bytes: Box::new([v as u8]), prov: Box::new([]) }), 1)
            }
        }
    }

    /// Copies `size` bytes of `src` into `dst`, picking the cheapest instruction.
    pub fn emit_move(&mut self, dst: PlaceId, src: Operand, size: u32) {
        if size == 0 {
            // A zero-sized copy through a pointer still requires the pointer's alignment.
            let aligned = |p: &Place| !p.projs.is_empty() && p.align > 1;
            let through_pointer =
                aligned(&self.places[dst as usize]) || matches!(src, Operand::Place(s) if aligned(&self.places[s as usize]));
            if through_pointer {
                self.emit(Inst::Move { dst, src, size });
            }
            return;
        }
        let d = &self.places[dst as usize];
        if d.projs.is_empty() {
            let PlaceBase::Reg(doff) = d.base;
            match src {
                // Out of a local holding a union, a copy may take pointer fragments or part of
                // a pointer: the general move keeps them (`MoveReg` only moves whole words).
                Operand::Reg(s) if size != 8 && self.byte_regs.iter().any(|&(o, n)| s < o + n && o < s + size) => {}
                Operand::Reg(s) => return self.emit(Inst::MoveReg { dst: doff, src: s, size }),
                Operand::Const(c) => return self.emit(Inst::const_reg(doff, c, size, &self.consts)),
                Operand::Place(_) => {}
            }
        }
        self.emit(Inst::Move { dst, src, size })
    }

    // ---- statements ----

    fn lower_statement(&mut self, kind: &StatementKind<'tcx>) {
        match kind {
            StatementKind::Assign(a) => {
                let (place, rvalue) = &**a;
                self.lower_assign(*place, rvalue);
            }
            StatementKind::SetDiscriminant { place, variant_index } => {
                let ty = self.mono(place.ty(self.body, self.tcx()).ty);
                let info = Box::new(discr_info(self.tcx(), ty));
                let pid = self.lower_place(**place);
                self.emit(Inst::SetDiscriminant { place: pid, info, variant: variant_index.as_u32() });
            }
            StatementKind::StorageLive(l) => {
                if let LocalSlot::Mem { .. } = self.locals[l.as_usize()] {
                    self.emit(Inst::StorageLive { local: l.as_u32() });
                }
            }
            StatementKind::StorageDead(l) => {
                if let LocalSlot::Mem { .. } = self.locals[l.as_usize()] {
                    self.emit(Inst::StorageDead { local: l.as_u32() });
                }
            }
            StatementKind::Intrinsic(i) => match &**i {
                NonDivergingIntrinsic::Assume(op) => {
                    let (op, _) = self.lower_operand(op);
                    self.emit(Inst::Assume { cond: op });
                }
                NonDivergingIntrinsic::CopyNonOverlapping(c) => {
                    let pointee = self.operand_ty(&c.src).builtin_deref(true).unwrap();
                    let elem_size = size_of(self.tcx(), pointee) as u64;
                    let elem_align = super::types::align_of(self.tcx(), pointee);
                    let args = vec![self.lower_operand(&c.src), self.lower_operand(&c.dst), self.lower_operand(&c.count)];
                    let dst = self.reg_place(0);
                    self.emit(Inst::Call {
                        callee: Callee::Intrinsic(Box::new(vigil_ir::Intrinsic::CopyNonOverlapping { elem_size, elem_align })),
                        args: args.into(),
                        dst,
                        ret_size: 0,
                        target: Some(Label(NEXT)),
                        unwind: Unwind::Unreachable,
                        caller_location: None,
                    });
                }
            },
            // `let _ = (*p).field;` computes the place: in-bounds pointer arithmetic on `p`.
            StatementKind::PlaceMention(place) if offsets_through_deref(place) => {
                let src = self.lower_place(**place);
                let t = self.pointer_temp();
                let dst = self.reg_place(t);
                self.emit(Inst::Ref { dst, place: src, fat: false, inbounds: true });
            }
            StatementKind::FakeRead(_)
            | StatementKind::PlaceMention(_)
            | StatementKind::AscribeUserType(..)
            | StatementKind::Coverage(_)
            | StatementKind::ConstEvalCounter
            | StatementKind::Nop
            | StatementKind::BackwardIncompatibleDropHint { .. } => {}
        }
    }

    fn lower_assign(&mut self, place: mir::Place<'tcx>, rvalue: &Rvalue<'tcx>) {
        let tcx = self.tcx();
        let dst_ty = self.mono(place.ty(self.body, tcx).ty);
        let dst_size = size_of(tcx, dst_ty);
        match rvalue {
            // An unsized temporary (passed on to a call) refers to the value it was moved from.
            Rvalue::Use(mir::Operand::Move(src) | mir::Operand::Copy(src), _)
                if place.projection.is_empty() && self.by_ref[place.local.as_usize()] =>
            {
                let LocalSlot::Reg { off } = self.locals[place.local.as_usize()] else {
                    unreachable!("by-reference locals are in registers")
                };
                let inbounds = offsets_through_deref(src);
                let src = self.lower_place(*src);
                let dst = self.reg_place(off);
                self.emit(Inst::Ref { dst, place: src, fat: true, inbounds });
            }
            Rvalue::Use(op, with_retag) => {
                let (src, size) = self.lower_operand(op);
                let dst = self.lower_place(place);
                self.emit_move(dst, src, size);
                if !matches!(op, mir::Operand::Constant(_)) {
                    let retag = if with_retag.yes() { RetagMode::Default } else { RetagMode::None };
                    // A load through a pointer is where uninitialized plain data enters a
                    // typed value: check it there even if the value is never used.
                    let loads_from_memory = matches!(op, mir::Operand::Copy(p) | mir::Operand::Move(p) if p.is_indirect());
                    self.validate_typed_copy(dst, dst_ty, loads_from_memory, retag);
                }
            }
            Rvalue::WrapUnsafeBinder(op, _) => {
                let (src, size) = self.lower_operand(op);
                let dst = self.lower_place(place);
                self.emit_move(dst, src, size);
            }
            Rvalue::CopyForDeref(p) | Rvalue::Reborrow(_, _, p) => {
                let src = self.lower_place(*p);
                let src = self.place_operand(src);
                let dst = self.lower_place(place);
                self.emit_move(dst, src, dst_size);
                self.validate_typed_copy(dst, dst_ty, false, RetagMode::None);
            }
            Rvalue::Repeat(op, count) => {
                let (src, elem_size) = self.lower_operand(op);
                let count = self.mono(*count).try_to_target_usize(tcx).unwrap_or(0);
                let dst = self.lower_place(place);
                if elem_size > 0 {
                    self.emit(Inst::Repeat { dst, src, elem_size, count });
                }
            }
            Rvalue::Ref(_, _, p) | Rvalue::RawPtr(_, p) => {
                let fat = !is_thin_ptr(tcx, dst_ty);
                let src = self.lower_place(*p);
                let dst = self.lower_place(place);
                self.emit(Inst::Ref { dst, place: src, fat, inbounds: offsets_through_deref(p) });
                match rvalue {
                    // A new reference must be aligned and point to live memory; the aliasing
                    // model retags it (two-phase borrows specially).
                    Rvalue::Ref(_, kind, _) => {
                        let retag = if kind.is_two_phase_borrow() { RetagMode::TwoPhase } else { RetagMode::Default };
                        self.validate_typed_copy(dst, dst_ty, false, retag);
                    }
                    // `&raw` of a place that is not already behind a raw pointer is a raw retag
                    // (fake borrows for `PtrMetadata` are not).
                    Rvalue::RawPtr(raw_kind, p)
                        if !raw_kind.is_fake()
                            && !self.place_base_is_raw(*p)
                            && !matches!(
                                tcx.struct_tail_for_codegen(dst_ty.builtin_deref(true).unwrap(), typing_env()).kind(),
                                ty::Foreign(..)
                            ) =>
                    {
                        let pointee = dst_ty.builtin_deref(true).unwrap();
                        let layout = super::types::dyn_layout(tcx, pointee);
                        let kind = RefKind::Raw {
                            mutable: matches!(raw_kind, mir::RawPtrKind::Mut),
                            freeze: pointee.is_freeze(tcx, typing_env()),
                        };
                        self.emit(Inst::RetagRaw { place: dst, layout, kind });
                    }
                    _ => {}
                }
            }
            Rvalue::ThreadLocalRef(def_id) => {
                if tcx.is_foreign_item(*def_id) {
                    let name = tcx.item_name(*def_id);
                    return self.emit(Inst::Unsupported { msg: format!("foreign thread-local static `{name}`").into() });
                }
                // Each thread gets its own copy of the static's initial value (the template).
                let (index, p) = self.lw.thread_local(*def_id, self.mem);
                let cv = ConstValue { bytes: p.addr.to_le_bytes().into(), prov: Box::new([(0, vigil_ir::AllocId(p.prov.alloc))]) };
                let Operand::Const(template) = self.add_const(cv) else { unreachable!() };
                let dst = self.lower_place(place);
                self.emit(Inst::ThreadLocalRef { dst, index, template });
            }
            Rvalue::Cast(kind, op, _) => self.lower_cast(place, *kind, op, dst_ty),
            Rvalue::BinaryOp(op, ops) => {
                let (a_ty, b_ty) = (self.operand_ty(&ops.0), self.operand_ty(&ops.1));
                let (Some(lhs), Some(rhs)) = (scalar_ty(tcx, a_ty), scalar_ty(tcx, b_ty)) else {
                    return self.emit(Inst::Unsupported { msg: format!("binary operation on `{a_ty}` and `{b_ty}`").into() });
                };
                let op = match op {
                    mir::BinOp::Add => BinOp::Add,
                    mir::BinOp::AddUnchecked => BinOp::AddUnchecked,
                    mir::BinOp::AddWithOverflow => BinOp::AddWithOverflow,
                    mir::BinOp::Sub => BinOp::Sub,
                    mir::BinOp::SubUnchecked => BinOp::SubUnchecked,
                    mir::BinOp::SubWithOverflow => BinOp::SubWithOverflow,
                    mir::BinOp::Mul => BinOp::Mul,
                    mir::BinOp::MulUnchecked => BinOp::MulUnchecked,
                    mir::BinOp::MulWithOverflow => BinOp::MulWithOverflow,
                    mir::BinOp::Div => BinOp::Div,
                    mir::BinOp::Rem => BinOp::Rem,
                    mir::BinOp::BitXor => BinOp::BitXor,
                    mir::BinOp::BitAnd => BinOp::BitAnd,
                    mir::BinOp::BitOr => BinOp::BitOr,
                    mir::BinOp::Shl => BinOp::Shl,
                    mir::BinOp::ShlUnchecked => BinOp::ShlUnchecked,
                    mir::BinOp::Shr => BinOp::Shr,
                    mir::BinOp::ShrUnchecked => BinOp::ShrUnchecked,
                    mir::BinOp::Eq => BinOp::Eq,
                    mir::BinOp::Lt => BinOp::Lt,
                    mir::BinOp::Le => BinOp::Le,
                    mir::BinOp::Ne => BinOp::Ne,
                    mir::BinOp::Ge => BinOp::Ge,
                    mir::BinOp::Gt => BinOp::Gt,
                    mir::BinOp::Cmp => BinOp::Cmp,
                    mir::BinOp::Offset => {
                        let pointee = a_ty.builtin_deref(true).unwrap();
                        BinOp::Offset { elem_size: size_of(tcx, pointee) }
                    }
                };
                let (a, _) = self.lower_operand(&ops.0);
                let (b, _) = self.lower_operand(&ops.1);
                self.check_scalar_operand(&ops.0, a);
                self.check_scalar_operand(&ops.1, b);
                let dst = self.lower_place(place);
                self.emit(Inst::BinOp { op, lhs, rhs, dst, a, b });
            }
            Rvalue::UnaryOp(op, operand) => {
                let ty = self.operand_ty(operand);
                let Some(sty) = scalar_ty(tcx, ty) else {
                    return self.emit(Inst::Unsupported { msg: format!("unary operation on `{ty}`").into() });
                };
                let op = match op {
                    mir::UnOp::Not => UnOp::Not,
                    mir::UnOp::Neg => UnOp::Neg,
                    mir::UnOp::PtrMetadata => UnOp::PtrMetadata,
                };
                let (a, _) = self.lower_operand(operand);
                self.check_scalar_operand(operand, a);
                let dst = self.lower_place(place);
                self.emit(Inst::UnOp { op, ty: sty, dst, a });
            }
            Rvalue::Discriminant(p) => {
                let ty = self.mono(p.ty(self.body, tcx).ty);
                let info = Box::new(discr_info(tcx, ty));
                let src = self.lower_place(*p);
                let dst = self.lower_place(place);
                self.emit(Inst::Discriminant { dst, place: src, info });
            }
            Rvalue::Aggregate(kind, ops) => self.lower_aggregate(place, dst_ty, kind, ops),
        }
    }

    fn lower_aggregate(
        &mut self,
        place: mir::Place<'tcx>,
        dst_ty: Ty<'tcx>,
        kind: &AggregateKind<'tcx>,
        ops: &rustc_index::IndexSlice<rustc_abi::FieldIdx, mir::Operand<'tcx>>,
    ) {
        let tcx = self.tcx();
        let dst = self.lower_place(place);
        let layout = layout_of(tcx, dst_ty);
        match kind {
            AggregateKind::Array(elem) => {
                let elem_size = size_of(tcx, self.mono(*elem));
                for (i, op) in ops.iter().enumerate() {
                    let (src, size) = self.lower_operand(op);
                    let f = self.field_place(dst, i as u32 * elem_size, false);
                    self.emit_move(f, src, size);
                }
            }
            AggregateKind::Tuple | AggregateKind::Closure(..) | AggregateKind::CoroutineClosure(..) => {
                for (i, op) in ops.iter().enumerate() {
                    let (src, size) = self.lower_operand(op);
                    let f = self.field_place(dst, layout.fields.offset(i).bytes() as u32, false);
                    self.emit_move(f, src, size);
                }
            }
            AggregateKind::Adt(def_id, variant, _, _, active) => {
                let adt = tcx.adt_def(*def_id);
                let vl = if adt.is_enum() { variant_layout(tcx, layout, *variant) } else { layout };
                for (i, op) in ops.iter().enumerate() {
                    let field = active.map(|a| a.as_usize()).unwrap_or(i);
                    let (src, size) = self.lower_operand(op);
                    let f = self.field_place(dst, vl.fields.offset(field).bytes() as u32, false);
                    self.emit_move(f, src, size);
                }
                if adt.is_enum() {
                    let info = Box::new(discr_info(tcx, dst_ty));
                    self.emit(Inst::SetDiscriminant { place: dst, info, variant: variant.as_u32() });
                }
            }
            AggregateKind::RawPtr(..) => {
                let (data, _) = self.lower_operand(&ops[rustc_abi::FieldIdx::from_u32(0)]);
                let (meta, meta_size) = self.lower_operand(&ops[rustc_abi::FieldIdx::from_u32(1)]);
                self.emit_move(dst, data, 8);
                if meta_size > 0 {
                    let f = self.field_place(dst, 8, false);
                    self.emit_move(f, meta, meta_size);
                }
            }
            // A new coroutine: its captured values are the prefix fields of every state, and it
            // starts unresumed (state 0).
            AggregateKind::Coroutine(..) => {
                for (i, op) in ops.iter().enumerate() {
                    let (src, size) = self.lower_operand(op);
                    let f = self.field_place(dst, layout.fields.offset(i).bytes() as u32, false);
                    self.emit_move(f, src, size);
                }
                let info = Box::new(discr_info(tcx, dst_ty));
                self.emit(Inst::SetDiscriminant { place: dst, info, variant: 0 });
            }
        }
    }

    fn lower_cast(&mut self, place: mir::Place<'tcx>, kind: CastKind, op: &mir::Operand<'tcx>, dst_ty: Ty<'tcx>) {
        let tcx = self.tcx();
        let src_ty = self.operand_ty(op);
        let dst_size = size_of(tcx, dst_ty);
        let cast = match kind {
            CastKind::IntToInt => match (int_ty(tcx, src_ty), int_ty(tcx, dst_ty)) {
                (Some(from), Some(to)) => CastOp::IntToInt { from, to },
                _ => return self.emit(Inst::Unsupported { msg: format!("cast from `{src_ty}` to `{dst_ty}`").into() }),
            },
            CastKind::IntToFloat => CastOp::IntToFloat { from: int_ty(tcx, src_ty).unwrap(), to: float_unwrap(dst_ty) },
            CastKind::FloatToInt => CastOp::FloatToInt { from: float_unwrap(src_ty), to: int_ty(tcx, dst_ty).unwrap() },
            CastKind::FloatToFloat => CastOp::FloatToFloat { from: float_unwrap(src_ty), to: float_unwrap(dst_ty) },
            // An integer carries no provenance: transmuting one into a pointer gives a pointer
            // without provenance, even if the integer's bytes came from a pointer.
            CastKind::Transmute
                if int_ty(tcx, src_ty).is_some() && !matches!(src_ty.kind(), ty::RawPtr(..) | ty::Ref(..) | ty::FnPtr(..)) =>
            {
                CastOp::StripProvenance { size: dst_size }
            }
            CastKind::PtrToPtr | CastKind::FnPtrToPtr | CastKind::Transmute | CastKind::Subtype => CastOp::Bytes { size: dst_size },
            CastKind::PointerExposeProvenance => CastOp::ExposeProvenance { to: int_ty(tcx, dst_ty).unwrap_or(IntTy::USIZE) },
            CastKind::PointerWithExposedProvenance => CastOp::WithExposedProvenance { from: int_ty(tcx, src_ty).unwrap_or(IntTy::USIZE) },
            CastKind::PointerCoercion(c, _) => match c {
                PointerCoercion::ReifyFnPointer(_) => {
                    let ty::FnDef(def_id, args) = *src_ty.kind() else { unreachable!() };
                    let inst = Instance::resolve_for_fn_ptr(tcx, typing_env(), def_id, args).expect("fn pointer target resolves");
                    return self.store_fn_ptr(place, inst);
                }
                PointerCoercion::ClosureFnPointer(_) => {
                    let ty::Closure(def_id, args) = *src_ty.kind() else { unreachable!() };
                    let inst = Instance::resolve_closure(tcx, def_id, args, ty::ClosureKind::FnOnce);
                    return self.store_fn_ptr(place, inst);
                }
                PointerCoercion::UnsafeFnPointer | PointerCoercion::MutToConstPointer | PointerCoercion::ArrayToPointer => {
                    CastOp::Bytes { size: dst_size }
                }
                PointerCoercion::Unsize => {
                    let mut steps = Vec::new();
                    self.unsize_steps(src_ty, dst_ty, 0, 0, &mut steps);
                    let (src, src_size) = self.lower_operand(op);
                    let dst = self.lower_place(place);
                    return self.emit(Inst::Unsize { dst, src, src_size, steps: steps.into() });
                }
            },
        };
        let (src, _) = self.lower_operand(op);
        if matches!(cast, CastOp::IntToInt { .. } | CastOp::IntToFloat { .. }) {
            self.check_scalar_operand(op, src);
        }
        let dst = self.lower_place(place);
        if let CastOp::StripProvenance { .. } = cast {
            self.emit(Inst::Cast { op: cast, dst, src });
            return self.validate_typed_copy(dst, dst_ty, true, RetagMode::None);
        }
        if let CastOp::Bytes { size } = cast {
            self.emit_move(dst, src, size);
            if kind == CastKind::Transmute {
                self.strip_scalar_provenance(dst, src_ty, dst_ty);
            }
            // A transmute is where invalid values are usually made: check even plain data.
            return self.validate_typed_copy(dst, dst_ty, kind == CastKind::Transmute, RetagMode::None);
        }
        self.emit(Inst::Cast { op: cast, dst, src });
    }

    /// Integers and floats carry no provenance: where a transmute puts bytes that may hold
    /// a pointer (a pointer or a union in the source) into a non-pointer scalar of the
    /// destination, their provenance is dropped (decided here, so other transmutes cost
    /// nothing).
    fn strip_scalar_provenance(&mut self, dst: PlaceId, src_ty: Ty<'tcx>, dst_ty: Ty<'tcx>) {
        use super::types::{ByteKind, byte_kinds};
        let tcx = self.tcx();
        let (Some(from), Some(to)) = (byte_kinds(tcx, src_ty), byte_kinds(tcx, dst_ty)) else { return };
        let strip = |i: usize| to[i] == ByteKind::Scalar && from.get(i).is_some_and(|&k| k != ByteKind::Scalar);
        let mut i = 0;
        while i < to.len() {
            if !strip(i) {
                i += 1;
                continue;
            }
            let start = i;
            while i < to.len() && strip(i) {
                i += 1;
            }
            let part = self.field_place(dst, start as u32, false);
            let size = (i - start) as u32;
            self.emit(Inst::Cast { op: CastOp::StripProvenance { size }, dst: part, src: Operand::Place(part) });
        }
    }

    /// A `bool` or `char` operand an operation is about to use must hold a valid value.
    /// Validation already checked values copied into locals, so the check is emitted only
    /// when validation is off or the operand is read straight through a pointer.
    pub(super) fn check_scalar_operand(&mut self, op: &mir::Operand<'tcx>, lowered: Operand) {
        let kind = match self.operand_ty(op).kind() {
            ty::Bool => ScalarCheck::Bool,
            ty::Char => ScalarCheck::Char,
            _ => return,
        };
        let through_pointer = match op {
            mir::Operand::Copy(p) | mir::Operand::Move(p) => p.is_indirect(),
            _ => return,
        };
        if !self.lw.validate || through_pointer {
            self.emit(Inst::CheckScalar { src: lowered, kind });
        }
    }

    /// Validates a value just copied into `dst` (initialization-only programs only when
    /// `even_plain_data`, since uninitialized plain data is caught where it is used).
    pub(super) fn validate_typed_copy(&mut self, dst: PlaceId, ty: Ty<'tcx>, even_plain_data: bool, retag: RetagMode) {
        if let Some(v) = self.lw.validity(ty)
            && (even_plain_data || !super::validity::only_init(&v))
        {
            self.emit(Inst::Validate { place: dst, validity: v, retag });
        }
    }

    /// Whether a place starts by dereferencing a local of raw pointer type.
    pub(super) fn place_base_is_raw(&self, p: mir::Place<'tcx>) -> bool {
        p.is_indirect_first_projection() && self.local_ty(p.local).is_raw_ptr()
    }

    fn store_fn_ptr(&mut self, place: mir::Place<'tcx>, inst: Instance<'tcx>) {
        let tcx = self.tcx();
        let f = self.lw.intern(inst);
        // Only a function codegen cannot duplicate (monomorphic, `#[inline(never)]`) has one
        // address; any other gets one of several each time it is reified.
        let generic = inst.args.iter().any(|a| !matches!(a.kind(), ty::GenericArgKind::Lifetime(_)));
        let inlinable = !matches!(tcx.codegen_instance_attrs(inst.def).inline, rustc_hir::attrs::InlineAttr::Never);
        if generic || inlinable {
            let dst = self.lower_place(place);
            return self.emit(Inst::FnPtr { dst, f });
        }
        let p = self.mem.fn_ptr(f);
        let src = self.add_const(ConstValue { bytes: p.addr.to_le_bytes().into(), prov: Box::new([(0, vigil_ir::AllocId(p.prov.alloc))]) });
        let dst = self.lower_place(place);
        self.emit_move(dst, src, 8);
    }

    /// Unsizing through a struct: unchanged fields are copied, the changing one recursed into.
    fn unsize_fields(&mut self, src: Ty<'tcx>, dst: Ty<'tcx>, so: u32, d: u32, steps: &mut Vec<UnsizeStep>) {
        let tcx = self.tcx();
        let (la, lb) = (layout_of(tcx, src), layout_of(tcx, dst));
        let cx = super::types::layout_cx(tcx);
        for i in 0..la.fields.count() {
            let (fa, fb) = (la.field(&cx, i), lb.field(&cx, i));
            let (oa, ob) = (so + la.fields.offset(i).bytes() as u32, d + lb.fields.offset(i).bytes() as u32);
            if fa.ty == fb.ty {
                if fa.size.bytes() > 0 {
                    steps.push(UnsizeStep::Copy { src: oa, dst: ob, size: fa.size.bytes() as u32 });
                }
            } else {
                self.unsize_steps(fa.ty, fb.ty, oa, ob, steps);
            }
        }
    }

    /// Steps to copy a value of `src` type into `dst` type, widening the one pointer that changes.
    fn unsize_steps(&mut self, src: Ty<'tcx>, dst: Ty<'tcx>, so: u32, d: u32, steps: &mut Vec<UnsizeStep>) {
        let tcx = self.tcx();
        match (src.kind(), dst.kind()) {
            (ty::Adt(a, _), ty::Adt(b, _))
                if a == b && !src.is_box_global(tcx) || (src.is_box() && dst.is_box() && src.boxed_ty() == dst.boxed_ty()) =>
            {
                self.unsize_fields(src, dst, so, d, steps);
            }
            _ => {
                let (a, b) = match (src.builtin_deref(true), dst.builtin_deref(true)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        // Box<T, A>: a struct; recurse through its fields.
                        return self.unsize_fields(src, dst, so, d, steps);
                    }
                };
                let (ta, tb) = tcx.struct_lockstep_tails_for_codegen(a, b, typing_env());
                let meta = match (ta.kind(), tb.kind()) {
                    (ty::Array(_, n), ty::Slice(_)) => MetaSource::Len(n.try_to_target_usize(tcx).unwrap_or(0)),
                    (ty::Dynamic(da, ..), ty::Dynamic(db, ..)) => {
                        if da.principal_def_id() == db.principal_def_id() {
                            MetaSource::Keep
                        } else {
                            match tcx.supertrait_vtable_slot((ta, tb)) {
                                Some(slot) => MetaSource::UpcastSlot { slot: slot as u32, from: self.lw.dyn_trait_id(ta) },
                                None => MetaSource::Keep,
                            }
                        }
                    }
                    (_, ty::Dynamic(db, ..)) => {
                        let p = self.lw.import_vtable(ta, db, self.mem);
                        self.consts.push(ConstValue {
                            bytes: p.addr.to_le_bytes().into(),
                            prov: Box::new([(0, vigil_ir::AllocId(p.prov.alloc))]),
                        });
                        MetaSource::Vtable((self.consts.len() - 1) as u32)
                    }
                    _ => MetaSource::Keep,
                };
                steps.push(UnsizeStep::Widen { src: so, dst: d, meta, src_fat: !is_thin_ptr(tcx, src) });
            }
        }
    }

    // ---- terminators ----

    fn lower_terminator(&mut self, block: BasicBlock, kind: &TerminatorKind<'tcx>) {
        let tcx = self.tcx();
        match kind {
            TerminatorKind::Goto { target } => self.emit(Inst::Goto { target: Label(target.as_u32()) }),
            TerminatorKind::SwitchInt { discr, targets } => {
                let ty = self.operand_ty(discr);
                let it = int_ty(tcx, ty).unwrap_or(IntTy::USIZE);
                let (op, _) = self.lower_operand(discr);
                self.check_scalar_operand(discr, op);
                let values: Vec<u128> = targets.iter().map(|(v, _)| v).collect();
                let mut ts: Vec<u32> = targets.iter().map(|(_, t)| t.as_u32()).collect();
                ts.push(targets.otherwise().as_u32());
                self.emit(Inst::SwitchInt { discr: op, ty: it, values: values.into(), targets: ts.into_iter().map(Label).collect() });
            }
            TerminatorKind::UnwindResume => self.emit(Inst::UnwindResume),
            TerminatorKind::UnwindTerminate(reason) => {
                let call = self.lang_item_call(reason.lang_item(), Vec::new(), Unwind::Unreachable);
                self.emit(call);
            }
            TerminatorKind::Return => {
                for inst in self.return_insts() {
                    self.emit(inst);
                }
            }
            TerminatorKind::Unreachable => self.emit(Inst::Unreachable),
            TerminatorKind::Drop { place, target, unwind, .. } => {
                let ty = self.mono(place.ty(self.body, tcx).ty);
                if drop_is_noop(tcx, ty) {
                    return self.emit(Inst::Goto { target: Label(target.as_u32()) });
                }
                let drop = Instance::resolve_drop_glue(tcx, ty);
                let fat = !ty.is_sized(tcx, typing_env());
                let src = match self.drop_temps[block.as_usize()] {
                    // A value in registers is moved into its temporary, dropped there.
                    Some(temp) => {
                        let value = self.lower_place(*place);
                        let value = self.place_operand(value);
                        self.emit(Inst::StorageLive { local: temp });
                        let LocalSlot::Mem { ptr_off, size, .. } = self.locals[temp as usize] else {
                            unreachable!("a temporary in memory")
                        };
                        let dst = self.add_place(Place {
                            base: PlaceBase::Reg(ptr_off),
                            projs: Box::new([Proj::Deref { fat: false }]),
                            align: 1,
                        });
                        self.emit(Inst::Move { dst, src: value, size });
                        dst
                    }
                    None => self.lower_place(*place),
                };
                let t = self.pointer_temp();
                let tp = self.reg_place(t);
                self.emit(Inst::Ref { dst: tp, place: src, fat, inbounds: offsets_through_deref(place) });
                let callee = if let ty::Dynamic(..) = ty.kind() {
                    Callee::Virtual { index: 0, trait_id: 0 }
                } else {
                    Callee::Fn(self.lw.intern(drop))
                };
                let unwind = self.lower_unwind(*unwind);
                let dst = self.reg_place(0);
                self.emit(Inst::Call {
                    callee,
                    args: Box::new([(Operand::Reg(t), if fat { 16 } else { 8 })]),
                    dst,
                    ret_size: 0,
                    target: Some(Label(target.as_u32())),
                    unwind,
                    caller_location: None,
                });
            }
            TerminatorKind::Call { func, args, destination, target, unwind, fn_span, .. } => {
                let end = CallEnd::Returns { destination: *destination, target: *target, unwind: *unwind };
                self.lower_call(func, args, end, *fn_span);
            }
            TerminatorKind::Assert { cond, expected, msg, target, unwind } => {
                if !tcx.sess.overflow_checks() && msg.is_optional_overflow_check() {
                    return self.emit(Inst::Goto { target: Label(target.as_u32()) });
                }
                let (c, _) = self.lower_operand(cond);
                let unwind = self.lower_unwind(*unwind);
                let (item, args) = match &**msg {
                    mir::AssertKind::BoundsCheck { len, index } => {
                        let args = vec![self.lower_operand(index), self.lower_operand(len)];
                        (rustc_hir::LangItem::PanicBoundsCheck, args)
                    }
                    mir::AssertKind::MisalignedPointerDereference { required, found } => {
                        let args = vec![self.lower_operand(required), self.lower_operand(found)];
                        (rustc_hir::LangItem::PanicMisalignedPointerDereference, args)
                    }
                    mir::AssertKind::NullPointerDereference => (rustc_hir::LangItem::PanicNullPointerDereference, vec![]),
                    mir::AssertKind::InvalidEnumConstruction(source) => {
                        let args = vec![self.lower_operand(source)];
                        (rustc_hir::LangItem::PanicInvalidEnumConstruction, args)
                    }
                    other => (other.panic_function(), vec![]),
                };
                let call = self.lang_item_call(item, args, unwind);
                let fail = self.extra_block(vec![call]);
                self.emit(Inst::Assert { cond: c, expected: *expected, target: Label(target.as_u32()), fail: Label(fail) });
            }
            TerminatorKind::FalseEdge { real_target, .. } | TerminatorKind::FalseUnwind { real_target, .. } => {
                self.emit(Inst::Goto { target: Label(real_target.as_u32()) })
            }
            TerminatorKind::InlineAsm { .. } => self.emit(Inst::Unsupported { msg: "inline assembly is not supported".into() }),
            TerminatorKind::TailCall { func, args, fn_span } => self.lower_tail_call(func, args, *fn_span),
            TerminatorKind::Yield { .. } | TerminatorKind::CoroutineDrop => {
                self.emit(Inst::Unsupported { msg: "coroutines (async/generators)".into() })
            }
        }
    }
}

fn float_unwrap(ty: Ty<'_>) -> vigil_ir::FloatTy {
    float_ty(ty).unwrap_or(vigil_ir::FloatTy::F64)
}

/// Intrinsics and virtual calls reached through a fn pointer are not supported yet.
pub fn shim_wrapper<'tcx>(lw: &mut Lowerer<'tcx>, instance: Instance<'tcx>, _mem: &mut Memory) -> Function {
    let tcx = lw.tcx;
    let span = lw.span_id(tcx.def_span(instance.def_id()));
    let msg = format!("calling `{}` through a function pointer", tcx.def_path_str(instance.def_id()));
    Function {
        sig: vigil_ir::SigId::UNKNOWN,
        c_variadic: false,
        byte_regs: Box::new([]),
        inlined: Box::new([]),
        site_spans: Box::new([]),
        thin_places: Box::new([]),
        frame_size: 0,
        locals: vec![],
        always_live: vec![],
        storage_managed: vec![],
        params: vec![],
        caller_location: None,
        ret_place: Place::reg(0),
        ret_size: 0,
        code: vec![Inst::Unsupported { msg: msg.into() }],
        spans: vec![span],
        places: vec![],
        consts: vec![],
    }
}
