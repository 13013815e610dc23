//! Validity programs: what a value of each type must satisfy, built once per type from
//! its layout (bools, chars, enum tags, references, boxes, fn pointers, niches,
//! uninhabited types, initialized integers).

use std::sync::Arc;

use rustc_abi::{BackendRepr, FieldsShape, Variants};
use rustc_middle::ty::layout::TyAndLayout;
use rustc_middle::ty::{self, Ty, TyCtxt};
use vigil_ir::{Expected, RefKind, TyName, VCheck, Validity};

use super::Lowerer;
use super::types::{discr_info, layout_cx, layout_of, typing_env, variant_layout};

/// Arrays longer than this are checked as a unit only when their elements are plain data.
const MAX_ARRAY_CHECK: u64 = 1 << 20;

impl<'tcx> Lowerer<'tcx> {
    /// The id by which a validity check names `ty` (printed only for a report, by `type_name`).
    fn ty_name(&mut self, ty: Ty<'tcx>) -> u32 {
        self.ty_names.insert_full(ty).0 as u32
    }

    /// How reports name the type of a validity check.
    pub fn type_name(&self, ty: TyName) -> String {
        self.ty_names.get_index(ty.0 as usize).map_or_else(|| "?".to_string(), |t| t.to_string())
    }

    /// The validity program of `ty`, or `None` when nothing needs checking (or validation is off).
    pub fn validity(&mut self, ty: Ty<'tcx>) -> Option<Arc<Validity>> {
        if !self.validate {
            return None;
        }
        if let Some(v) = self.validities.get(&ty) {
            return v.clone();
        }
        let layout = layout_of(self.tcx, ty);
        let mut v = Validity { size: layout.size.bytes() as u32, checks: Vec::new() };
        if layout.is_sized() {
            let tcx = self.tcx;
            build(tcx, layout, 0, &mut v.checks, 0, false, &mut |n| match n {
                Named::Trait(t) => self.dyn_trait_id(t),
                Named::Type(t) => self.ty_name(t),
            });
            push_padding(tcx, layout, &mut v.checks);
        }
        drop_repeated_ranges(&mut v.checks);
        drop_ranges_implied_by_pointers(&mut v.checks);
        if !self.alignment_check {
            no_alignment(&mut v.checks);
        }
        let v = (!v.is_empty()).then(|| Arc::new(v));
        self.validities.insert(ty, v.clone());
        v
    }
}

/// Removes range checks that repeat an earlier one of the same list (a `NonNull` inside a
/// `Unique` inside a `RawVec` declares its range at each level): a repeat can never fail
/// once the first passed, and each one costs a check at every copy.
fn drop_repeated_ranges(checks: &mut Vec<VCheck>) {
    let mut seen: Vec<(u32, u32, u128, u128)> = Vec::new();
    checks.retain(|c| match *c {
        VCheck::Range { offset, size, start, end } => {
            let key = (offset, size, start, end);
            let repeat = seen.contains(&key);
            seen.push(key);
            !repeat
        }
        _ => true,
    });
    in_nested_lists(checks, drop_repeated_ranges);
}

/// Calls `f` on the check list of every enum variant and array element in `checks` (one
/// level down: `f` recurses itself).
fn in_nested_lists(checks: &mut [VCheck], f: fn(&mut Vec<VCheck>)) {
    for c in checks {
        match c {
            VCheck::Enum { variants, .. } => variants.iter_mut().for_each(|v| f(&mut v.checks)),
            VCheck::Array { elem, .. } => f(&mut elem.checks),
            _ => {}
        }
    }
}

/// Removes the non-null range a struct around a reference, `Box` or fn pointer declares
/// (its layout's niche) when it follows that pointer's own check at the same offset: the
/// pointer check refuses null and uninitialized bytes first, so the range cannot fail
/// after it, and the value is then a lone pointer for `ValidateRefReg`. (A range *before*
/// the pointer check would report a null first, in its words: it stays.)
fn drop_ranges_implied_by_pointers(checks: &mut Vec<VCheck>) {
    let mut pointers: Vec<u32> = Vec::new();
    checks.retain(|c| match *c {
        VCheck::Ref { offset, may_dangle: false, .. } | VCheck::FnPtr { offset } => {
            pointers.push(offset);
            true
        }
        VCheck::Range { offset, size: 8, start: 1, end } => !(end == u64::MAX as u128 && pointers.contains(&offset)),
        _ => true,
    });
    in_nested_lists(checks, drop_ranges_implied_by_pointers);
}

/// `-Zmiri-disable-alignment-check`: references and boxes need no alignment.
fn no_alignment(checks: &mut [VCheck]) {
    for c in checks.iter_mut() {
        if let VCheck::Ref { align, .. } = c {
            *align = 1;
        }
    }
    in_nested_lists(checks, |list| no_alignment(list));
}

/// Whether a program only asks for initialized bytes (cheap, and already caught at use) and
/// resets padding.
pub fn only_init(v: &Validity) -> bool {
    v.checks.iter().all(|c| matches!(c, VCheck::Init { .. } | VCheck::Padding { .. }))
}

/// The byte ranges (relative to `offset`) that hold data of a value of `layout`: its scalars,
/// the data of every field, of every union field; an enum with several variants counts as
/// all data here (its validity program resets each variant's own padding).
fn data_ranges<'tcx>(tcx: TyCtxt<'tcx>, layout: TyAndLayout<'tcx>, offset: u32, out: &mut Vec<(u32, u32)>, depth: u32) {
    let size = layout.size.bytes() as u32;
    if size == 0 {
        return;
    }
    let cx = layout_cx(tcx);
    let whole = depth > 16
        || matches!(layout.backend_repr, BackendRepr::Scalar(_) | BackendRepr::SimdVector { .. })
        || !matches!(layout.variants, Variants::Single { .. })
        || matches!(layout.fields, FieldsShape::Primitive);
    if whole {
        out.push((offset, offset + size));
        return;
    }
    if let BackendRepr::ScalarPair(a, b) = layout.backend_repr {
        let b_off = a.size(&cx).align_to(b.align(&cx).abi).bytes() as u32;
        out.push((offset, offset + a.size(&cx).bytes() as u32));
        out.push((offset + b_off, offset + b_off + b.size(&cx).bytes() as u32));
        return;
    }
    match &layout.fields {
        FieldsShape::Array { stride, count } => {
            let elem = layout.field(&cx, 0);
            let mut inner = Vec::new();
            data_ranges(tcx, elem, 0, &mut inner, depth + 1);
            if inner == [(0, stride.bytes() as u32)] || *count > 4096 {
                out.push((offset, offset + size));
            } else {
                for i in 0..*count as u32 {
                    out.extend(
                        inner.iter().map(|&(s, e)| (offset + i * stride.bytes() as u32 + s, offset + i * stride.bytes() as u32 + e)),
                    );
                }
            }
        }
        FieldsShape::Union(_) | FieldsShape::Arbitrary { .. } => {
            for i in 0..layout.fields.count() {
                let f = layout.field(&cx, i);
                data_ranges(tcx, f, offset + layout.fields.offset(i).bytes() as u32, out, depth + 1);
            }
        }
        FieldsShape::Primitive => out.push((offset, offset + size)),
    }
}

/// A top-level padding check for `layout` (none when every byte is data).
fn push_padding<'tcx>(tcx: TyCtxt<'tcx>, layout: TyAndLayout<'tcx>, out: &mut Vec<VCheck>) {
    let mut data = Vec::new();
    data_ranges(tcx, layout, 0, &mut data, 0);
    push_padding_of(layout.size.bytes() as u32, data, out);
}

/// The complement of the data ranges within `size` bytes, as a padding check.
fn push_padding_of(size: u32, mut data: Vec<(u32, u32)>, out: &mut Vec<VCheck>) {
    data.sort_unstable();
    let mut gaps = Vec::new();
    let mut at = 0;
    for (s, e) in data {
        if s > at {
            gaps.push((at, s));
        }
        at = at.max(e);
    }
    if at < size {
        gaps.push((at, size));
    }
    if !gaps.is_empty() {
        out.push(VCheck::Padding { ranges: gaps.into() });
    }
}

/// `dangle`: inside `MaybeDangling`, where references need not be dereferenceable and are
/// not retagged.
/// Whether a `&mut`/`Box` of `ty` claims uniqueness: not for `!Unpin` types (self-referential
/// futures) nor for those holding an `UnsafePinned` (`!UnsafeUnpin`), whose retags keep their
/// parent's tag.
fn unpin<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> bool {
    ty.is_unpin(tcx, typing_env()) && ty.is_unsafe_unpin(tcx, typing_env())
}

/// What the checks name by id: the vtable trait of a `dyn` type (`Lowerer::dyn_trait_id`)
/// and a type for reports (`Lowerer::ty_name`).
enum Named<'tcx> {
    Trait(Ty<'tcx>),
    Type(Ty<'tcx>),
}

/// `ids` gives the id of what a check names (`Named`).
type NameIds<'a, 'tcx> = &'a mut dyn FnMut(Named<'tcx>) -> u32;

fn build<'tcx>(
    tcx: TyCtxt<'tcx>,
    layout: TyAndLayout<'tcx>,
    offset: u32,
    out: &mut Vec<VCheck>,
    depth: u32,
    dangle: bool,
    ids: NameIds<'_, 'tcx>,
) {
    if layout.is_uninhabited() {
        out.push(VCheck::Uninhabited { ty: TyName(ids(Named::Type(layout.ty))) });
        return;
    }
    if layout.size.bytes() == 0 || depth > 64 {
        return;
    }
    let size = layout.size.bytes() as u32;
    match layout.ty.kind() {
        ty::Bool => out.push(VCheck::Bool { offset }),
        ty::Char => out.push(VCheck::Char { offset }),
        ty::Int(_) | ty::Uint(_) => push_init(out, offset, size, Expected::Integer),
        ty::Float(_) => push_init(out, offset, size, Expected::Float),
        ty::RawPtr(pointee, _) => {
            push_init(out, offset, size, Expected::RawPointer);
            vtable_check(tcx, *pointee, offset, out, ids);
        }
        ty::FnPtr(..) => out.push(VCheck::FnPtr { offset }),
        ty::Ref(_, pointee, mutbl) => {
            let kind = if mutbl.is_mut() {
                RefKind::Mut { unpin: unpin(tcx, *pointee) }
            } else {
                RefKind::Shared { freeze: pointee.is_freeze(tcx, typing_env()) }
            };
            out.push(pointer_check(tcx, *pointee, offset, false, kind, dangle));
            vtable_check(tcx, *pointee, offset, out, ids);
            pointee_uninhabited(tcx, *pointee, false, dangle, out, ids);
        }
        ty::Adt(..) if layout.ty.is_box() => {
            let pointee = layout.ty.boxed_ty().unwrap();
            // Both aliasing models retag only boxes of the global allocator.
            let kind = if layout.ty.is_box_global(tcx) { RefKind::Box { unpin: unpin(tcx, pointee) } } else { RefKind::Untracked };
            out.push(pointer_check(tcx, pointee, offset, true, kind, dangle));
            vtable_check(tcx, pointee, offset, out, ids);
            pointee_uninhabited(tcx, pointee, true, dangle, out, ids);
        }
        // A pattern type (`u32 is 1..`) is its base type restricted to the pattern's range.
        ty::Pat(base, _) => {
            build(tcx, layout_of(tcx, *base), offset, out, depth + 1, dangle, ids);
            range_checks(tcx, layout, offset, out);
        }
        ty::Adt(adt, _) if adt.is_union() => {}
        ty::Adt(adt, _) if adt.is_maybe_dangling() => {
            fields(tcx, layout, offset, out, depth, true, ids);
            range_checks(tcx, layout, offset, out);
        }
        ty::Adt(..) | ty::Tuple(..) | ty::Closure(..) | ty::Array(..) => {
            match &layout.variants {
                Variants::Multiple { variants, .. } => {
                    let per_variant = variants
                        .indices()
                        .map(|v| {
                            let vl = variant_layout(tcx, layout, v);
                            let mut checks = Vec::new();
                            fields(tcx, vl, 0, &mut checks, depth, dangle, ids);
                            // The variant's padding: what neither its fields nor the tag hold.
                            let mut data = Vec::new();
                            if let Variants::Multiple { tag, tag_field, .. } = &layout.variants {
                                let at = layout.fields.offset(tag_field.as_usize()).bytes() as u32;
                                data.push((at, at + tag.size(&layout_cx(tcx)).bytes() as u32));
                            }
                            data_ranges(tcx, vl, 0, &mut data, 0);
                            push_padding_of(size, data, &mut checks);
                            Validity { size, checks }
                        })
                        .collect();
                    out.push(VCheck::Enum { offset, info: discr_info(tcx, layout.ty), variants: per_variant });
                }
                Variants::Single { .. } | Variants::Empty => fields(tcx, layout, offset, out, depth, dangle, ids),
            }
            // Declared scalar ranges last, so that the fields' more specific checks report first.
            range_checks(tcx, layout, offset, out);
        }
        _ => {}
    }
}

fn fields<'tcx>(
    tcx: TyCtxt<'tcx>,
    layout: TyAndLayout<'tcx>,
    offset: u32,
    out: &mut Vec<VCheck>,
    depth: u32,
    dangle: bool,
    ids: NameIds<'_, 'tcx>,
) {
    let cx = layout_cx(tcx);
    match &layout.fields {
        FieldsShape::Array { stride, count } => {
            if *count == 0 {
                return;
            }
            let elem = layout.field(&cx, 0);
            let mut checks = Vec::new();
            build(tcx, elem, 0, &mut checks, depth + 1, dangle, ids);
            if checks.is_empty() {
                return;
            }
            // Plain data elements: one check over the whole array.
            if let [VCheck::Init { offset: 0, size, expected }] = checks[..]
                && size as u64 == stride.bytes()
            {
                return push_init(out, offset, (size as u64 * count) as u32, expected);
            }
            if *count <= MAX_ARRAY_CHECK {
                out.push(VCheck::Array {
                    offset,
                    elem_size: stride.bytes() as u32,
                    count: *count,
                    elem: Box::new(Validity { size: elem.size.bytes() as u32, checks }),
                });
            }
        }
        FieldsShape::Primitive | FieldsShape::Union(_) => {}
        FieldsShape::Arbitrary { .. } => {
            for i in 0..layout.fields.count() {
                let f = layout.field(&cx, i);
                build(tcx, f, offset + layout.fields.offset(i).bytes() as u32, out, depth + 1, dangle, ids);
            }
        }
    }
}

/// Scalar valid ranges the layout declares (e.g. `NonZero<u32>`, `NonNull`).
fn range_checks<'tcx>(tcx: TyCtxt<'tcx>, layout: TyAndLayout<'tcx>, offset: u32, out: &mut Vec<VCheck>) {
    let cx = layout_cx(tcx);
    if !matches!(layout.variants, Variants::Single { .. }) {
        return;
    }
    let scalars = match layout.backend_repr {
        BackendRepr::Scalar(s) => vec![(s, 0u64)],
        BackendRepr::ScalarPair(a, b) => {
            let b_off = a.size(&cx).align_to(b.align(&cx).abi).bytes();
            vec![(a, 0), (b, b_off)]
        }
        _ => return,
    };
    for (s, off) in scalars {
        let range = s.valid_range(&cx);
        if !s.is_always_valid(&cx) {
            out.push(VCheck::Range { offset: offset + off as u32, size: s.size(&cx).bytes() as u32, start: range.start, end: range.end });
        }
    }
}

/// A wide pointer (at `offset`) to a `dyn` type carries a vtable of that trait.
fn vtable_check<'tcx>(tcx: TyCtxt<'tcx>, pointee: Ty<'tcx>, offset: u32, out: &mut Vec<VCheck>, ids: NameIds<'_, 'tcx>) {
    if pointee.is_sized(tcx, typing_env()) {
        return;
    }
    let tail = tcx.struct_tail_for_codegen(pointee, typing_env());
    if let ty::Dynamic(..) = tail.kind() {
        out.push(VCheck::Vtable { offset: offset + 8, expected: ids(Named::Trait(tail)) });
    }
}

/// A reference or `Box` to a value that cannot exist is itself invalid (unless it may dangle).
fn pointee_uninhabited<'tcx>(
    tcx: TyCtxt<'tcx>,
    pointee: Ty<'tcx>,
    is_box: bool,
    may_dangle: bool,
    out: &mut Vec<VCheck>,
    ids: NameIds<'_, 'tcx>,
) {
    if !may_dangle && pointee.is_sized(tcx, typing_env()) && layout_of(tcx, pointee).is_uninhabited() {
        out.push(VCheck::PtrToUninhabited { is_box, ty: TyName(ids(Named::Type(pointee))) });
    }
}

fn pointer_check<'tcx>(tcx: TyCtxt<'tcx>, pointee: Ty<'tcx>, offset: u32, is_box: bool, kind: RefKind, may_dangle: bool) -> VCheck {
    if pointee.is_sized(tcx, typing_env()) {
        let l = layout_of(tcx, pointee);
        // The aliasing models treat `UnsafeCell` bytes apart (for every kind of reference).
        let cells = (!pointee.is_freeze(tcx, typing_env())).then(|| {
            let mut ranges = Vec::new();
            unsafe_cell_ranges(tcx, l, 0, &mut ranges);
            ranges.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::new();
            for r in ranges {
                match merged.last_mut() {
                    Some(last) if last.1 >= r.0 => last.1 = last.1.max(r.1),
                    _ => merged.push(r),
                }
            }
            Arc::from(merged)
        });
        VCheck::Ref {
            offset,
            align: l.align.bytes() as u32,
            size: Some(l.size.bytes() as u32),
            is_box,
            kind,
            unsized_layout: None,
            cells,
            may_dangle,
        }
    } else {
        let tail = tcx.struct_tail_for_codegen(pointee, typing_env());
        // An extern type's size is unknown: its references are never retagged.
        let kind = if matches!(tail.kind(), ty::Foreign(..)) { RefKind::Untracked } else { kind };
        // A slice-tailed type's alignment is known statically (its own, which packing caps);
        // a `dyn` tail's comes from the vtable.
        let align = match tail.kind() {
            ty::Slice(_) | ty::Str => layout_of(tcx, pointee).align.bytes() as u32,
            _ => 1,
        };
        // Unsized interior-mutable pointees (`[Cell<T>]`, `dyn Trait`) count as one cell.
        let cells = (!pointee.is_freeze(tcx, typing_env())).then(|| Arc::from([(0, u32::MAX)]));
        VCheck::Ref {
            offset,
            align,
            size: None,
            is_box,
            kind,
            unsized_layout: Some(super::types::dyn_layout(tcx, pointee)),
            cells,
            may_dangle,
        }
    }
}

/// The byte ranges of a value that are not frozen: inside an `UnsafeCell`, or a whole
/// enum or union that is not `Freeze` (its variant decides where the cells are).
fn unsafe_cell_ranges<'tcx>(tcx: TyCtxt<'tcx>, layout: TyAndLayout<'tcx>, offset: u32, out: &mut Vec<(u32, u32)>) {
    let size = layout.size.bytes() as u32;
    if size == 0 || layout.ty.is_freeze(tcx, typing_env()) {
        return;
    }
    let whole = match layout.ty.kind() {
        ty::Adt(adt, _) => adt.is_unsafe_cell() || adt.is_enum() || adt.is_union(),
        ty::Tuple(..) | ty::Array(..) | ty::Closure(..) => false,
        _ => true,
    };
    if whole || !matches!(layout.variants, Variants::Single { .. }) {
        match out.last_mut() {
            Some(last) if last.1 == offset => last.1 = offset + size,
            _ => out.push((offset, offset + size)),
        }
        return;
    }
    let cx = layout_cx(tcx);
    for i in 0..layout.fields.count() {
        let f = layout.field(&cx, i);
        unsafe_cell_ranges(tcx, f, offset + layout.fields.offset(i).bytes() as u32, out);
    }
}

fn push_init(out: &mut Vec<VCheck>, offset: u32, size: u32, expected: Expected) {
    // Merge with an adjacent check of the same kind.
    if let Some(VCheck::Init { offset: o, size: s, expected: e }) = out.last_mut()
        && *e == expected
        && *o + *s == offset
    {
        *s += size;
        return;
    }
    out.push(VCheck::Init { offset, size, expected });
}
