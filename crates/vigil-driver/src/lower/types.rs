//! Layout queries: sizes, scalar types and discriminant encodings, asked once per type.

use rustc_abi::{Primitive, TagEncoding, VariantIdx, Variants};
use rustc_middle::ty::layout::{LayoutCx, TyAndLayout};
use rustc_middle::ty::{self, Ty, TyCtxt};
use vigil_ir::{DiscrInfo, DiscrKind, DynLayout, FloatTy, IntTy, ScalarTy};

pub fn typing_env<'tcx>() -> ty::TypingEnv<'tcx> {
    ty::TypingEnv::fully_monomorphized()
}

/// Whether dropping a value of type `ty` does nothing (its drop glue is empty): such a drop
/// lowers to a jump.
pub fn drop_is_noop<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> bool {
    matches!(ty::Instance::resolve_drop_glue(tcx, ty).def, ty::InstanceKind::DropGlue(_, None))
}

pub fn layout_of<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> TyAndLayout<'tcx> {
    match tcx.layout_of(typing_env().as_query_input(ty)) {
        Ok(l) => l,
        Err(e) => tcx.dcx().fatal(format!("Vigil could not compute the layout of `{ty}`: {e}")),
    }
}

pub fn layout_cx<'tcx>(tcx: TyCtxt<'tcx>) -> LayoutCx<'tcx> {
    LayoutCx::new(tcx, typing_env())
}

pub fn size_of<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> u32 {
    layout_of(tcx, ty).size.bytes() as u32
}

/// The ABI alignment of a sized type.
pub fn align_of<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> u64 {
    layout_of(tcx, ty).align.abi.bytes()
}

pub fn int_ty<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<IntTy> {
    Some(match ty.kind() {
        ty::Int(i) => IntTy { size: i.bit_width().unwrap_or(64) as u8 / 8, signed: true },
        ty::Uint(u) => IntTy { size: u.bit_width().unwrap_or(64) as u8 / 8, signed: false },
        ty::Bool => IntTy::BOOL,
        ty::Char => IntTy::U32,
        ty::RawPtr(..) | ty::Ref(..) | ty::FnPtr(..) if is_thin_ptr(tcx, ty) => IntTy::USIZE,
        _ => return None,
    })
}

pub fn float_ty(ty: Ty<'_>) -> Option<FloatTy> {
    match ty.kind() {
        ty::Float(ty::FloatTy::F32) => Some(FloatTy::F32),
        ty::Float(ty::FloatTy::F64) => Some(FloatTy::F64),
        _ => None,
    }
}

/// Whether a pointer-like type is thin (pointee is sized).
pub fn is_thin_ptr<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> bool {
    match ty.builtin_deref(true) {
        // Pointers to extern types carry no metadata either.
        Some(pointee) => {
            pointee.is_sized(tcx, typing_env()) || matches!(tcx.struct_tail_for_codegen(pointee, typing_env()).kind(), ty::Foreign(..))
        }
        None => true,
    }
}

pub fn scalar_ty<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<ScalarTy> {
    Some(match ty.kind() {
        ty::Bool => ScalarTy::Bool,
        ty::Char => ScalarTy::Char,
        ty::Int(_) | ty::Uint(_) => ScalarTy::Int(int_ty(tcx, ty)?),
        ty::Float(_) => ScalarTy::Float(float_ty(ty)?),
        ty::RawPtr(..) | ty::Ref(..) => {
            if is_thin_ptr(tcx, ty) {
                ScalarTy::Ptr
            } else {
                ScalarTy::FatPtr
            }
        }
        ty::FnPtr(..) | ty::FnDef(..) => ScalarTy::Ptr,
        _ => return None,
    })
}

/// Integer type of a primitive stored in a layout (tags, niches).
pub fn prim_int(p: Primitive) -> IntTy {
    match p {
        Primitive::Int(i, signed) => IntTy { size: i.size().bytes() as u8, signed },
        Primitive::Pointer(_) => IntTy::USIZE,
        Primitive::Float(f) => IntTy { size: f.size().bytes() as u8, signed: false },
    }
}

pub fn discr_info<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> DiscrInfo {
    let layout = layout_of(tcx, ty);
    let discr_ty = ty.discriminant_ty(tcx);
    let result = int_ty(tcx, discr_ty).unwrap_or(IntTy::U8);
    let values: Box<[u128]> = match ty.kind() {
        ty::Adt(adt, _) if adt.is_enum() => adt
            .variants()
            .indices()
            .map(|v| ty.discriminant_for_variant(tcx, v).map(|d| d.val).unwrap_or(v.as_u32() as u128))
            .map(|v| crate::lower::types::truncate(v, result.size))
            .collect(),
        // A coroutine's variants are its states (unresumed, returned, poisoned, then one per
        // suspension point), numbered by their index.
        ty::Coroutine(..) => match &layout.variants {
            Variants::Multiple { variants, .. } => (0..variants.len() as u128).collect(),
            _ => vec![0].into(),
        },
        _ => vec![0].into(),
    };
    let mut tag_valid = (0, u128::MAX);
    let mut tag_dense = false;
    let kind = match &layout.variants {
        Variants::Empty => DiscrKind::Single { variant: 0 },
        Variants::Single { index } => DiscrKind::Single { variant: index.as_u32() },
        Variants::Multiple { tag: tag_scalar, tag_encoding, tag_field, .. } => {
            let offset = layout.fields.offset(tag_field.as_usize()).bytes() as u32;
            let range = tag_scalar.valid_range(&layout_cx(tcx));
            tag_valid = (range.start, range.end);
            let tag = prim_int(tag_scalar.primitive());
            match tag_encoding {
                TagEncoding::Direct => {
                    // Dense when the range holds exactly as many values as there are variants
                    // inside it (discriminants are distinct).
                    let width = truncate(range.end.wrapping_sub(range.start), tag.size);
                    let inside = values.iter().filter(|&&v| truncate(v.wrapping_sub(range.start), tag.size) <= width).count() as u128;
                    tag_dense = width.checked_add(1) == Some(inside);
                    DiscrKind::Direct { offset, tag }
                }
                TagEncoding::Niche { untagged_variant, niche_variants, niche_start } => DiscrKind::Niche {
                    offset,
                    tag,
                    untagged: untagged_variant.as_u32(),
                    variants_start: niche_variants.start().as_u32(),
                    variants_end: niche_variants.end().as_u32(),
                    niche_start: *niche_start,
                },
            }
        }
    };
    let uninhabited: Box<[bool]> = match (&layout.variants, ty.kind()) {
        (Variants::Empty, _) => vec![true; values.len().max(1)].into(),
        (_, ty::Adt(adt, _)) if adt.is_enum() => {
            let u: Vec<bool> = adt.variants().indices().map(|v| variant_layout(tcx, layout, v).is_uninhabited()).collect();
            if u.iter().any(|&b| b) { u.into() } else { Box::new([]) }
        }
        _ => Box::new([]),
    };
    DiscrInfo { kind, values, result, uninhabited, tag_valid, tag_dense }
}

pub fn truncate(v: u128, size: u8) -> u128 {
    if size >= 16 { v } else { v & ((1u128 << (size as u32 * 8)) - 1) }
}

/// Layout of a possibly unsized type for `size_of_val` and friends.
pub fn dyn_layout<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> DynLayout {
    let layout = layout_of(tcx, ty);
    if layout.is_sized() {
        return DynLayout::Sized { size: layout.size.bytes(), align: layout.align.bytes() };
    }
    // Walk to the unsized tail to find where it starts and what it is.
    let mut header = 0u64;
    let mut pack = u64::MAX;
    let mut cur = layout;
    loop {
        if let ty::Adt(adt, _) = cur.ty.kind()
            && let Some(p) = adt.repr().pack
        {
            pack = pack.min(p.bytes());
        }
        match cur.ty.kind() {
            ty::Slice(elem) => {
                return DynLayout::Slice { header, elem_size: layout_of(tcx, *elem).size.bytes(), align: layout.align.bytes() };
            }
            ty::Str => return DynLayout::Slice { header, elem_size: 1, align: layout.align.bytes() },
            // An extern type has no size the program can know: only the sized prefix counts.
            ty::Foreign(..) => return DynLayout::Sized { size: header, align: layout.align.bytes() },
            ty::Dynamic(..) => return DynLayout::Dyn { header, align: layout.align.bytes(), pack },
            _ => {
                let n = cur.fields.count();
                let last = n - 1;
                header += cur.fields.offset(last).bytes();
                cur = cur.field(&layout_cx(tcx), last);
            }
        }
    }
}

pub fn variant_layout<'tcx>(tcx: TyCtxt<'tcx>, l: TyAndLayout<'tcx>, v: VariantIdx) -> TyAndLayout<'tcx> {
    l.for_variant(&layout_cx(tcx), v)
}

/// What each byte of a value of some type is, for provenance: part of a pointer, part of
/// a non-pointer scalar (integer, float, `bool`, `char`, an integer enum tag), or neither
/// (padding, unions, bytes whose kind depends on the variant).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ByteKind {
    Other,
    Pointer,
    Scalar,
}

impl<'tcx> super::Lowerer<'tcx> {
    /// `holds_union`, remembered by type.
    pub fn holds_union(&mut self, l: TyAndLayout<'tcx>) -> bool {
        let tcx = self.tcx;
        *self.union_holders.entry(l.ty).or_insert_with(|| holds_union(tcx, l))
    }
}

/// Whether a value of this layout has bytes of a union in it (so a typed copy of it keeps
/// pointer fragments there).
pub fn holds_union<'tcx>(tcx: TyCtxt<'tcx>, l: TyAndLayout<'tcx>) -> bool {
    use rustc_abi::FieldsShape;
    let cx = layout_cx(tcx);
    let fields = match &l.fields {
        FieldsShape::Primitive => false,
        FieldsShape::Union(_) => return true,
        FieldsShape::Array { count, .. } => *count > 0 && holds_union(tcx, l.field(&cx, 0)),
        FieldsShape::Arbitrary { .. } => (0..l.fields.count()).any(|i| holds_union(tcx, l.field(&cx, i))),
    };
    fields
        || match &l.variants {
            Variants::Multiple { variants, .. } => variants.indices().any(|v| {
                let vl = l.for_variant(&cx, v);
                (0..vl.fields.count()).any(|i| holds_union(tcx, vl.field(&cx, i)))
            }),
            _ => false,
        }
}

/// Types larger than this are not classified byte by byte (`byte_kinds` gives `None`).
const BYTE_KINDS_LIMIT: u64 = 4096;

/// The kind of each byte of `ty` (`None` for types too large to bother).
pub fn byte_kinds<'tcx>(tcx: TyCtxt<'tcx>, ty: Ty<'tcx>) -> Option<Vec<ByteKind>> {
    let l = layout_of(tcx, ty);
    if l.is_unsized() || l.size.bytes() > BYTE_KINDS_LIMIT {
        return None;
    }
    let mut out = vec![ByteKind::Other; l.size.bytes() as usize];
    classify(tcx, l, 0, &mut out);
    Some(out)
}

fn classify<'tcx>(tcx: TyCtxt<'tcx>, l: TyAndLayout<'tcx>, at: usize, out: &mut [ByteKind]) {
    use rustc_abi::{BackendRepr, FieldsShape};
    let mark = |out: &mut [ByteKind], off: usize, size: usize, p: Primitive| {
        let k = if matches!(p, Primitive::Pointer(_)) { ByteKind::Pointer } else { ByteKind::Scalar };
        out[off..off + size].fill(k);
    };
    let cx = layout_cx(tcx);
    match &l.fields {
        FieldsShape::Primitive => {
            if let BackendRepr::Scalar(s) = l.backend_repr {
                mark(out, at, l.size.bytes() as usize, s.primitive());
            }
            return;
        }
        FieldsShape::Union(_) => return,
        FieldsShape::Array { stride, count } => {
            let elem = l.field(&cx, 0);
            for i in 0..*count as usize {
                classify(tcx, elem, at + i * stride.bytes() as usize, out);
            }
        }
        FieldsShape::Arbitrary { .. } => {
            for i in 0..l.fields.count() {
                classify(tcx, l.field(&cx, i), at + l.fields.offset(i).bytes() as usize, out);
            }
        }
    }
    if let Variants::Multiple { tag, tag_field, variants, .. } = &l.variants {
        // The tag is known; the variants' bytes only where every variant agrees.
        let off = at + l.fields.offset(tag_field.as_usize()).bytes() as usize;
        mark(out, off, tag.size(&tcx).bytes() as usize, tag.primitive());
        let size = l.size.bytes() as usize;
        let mut agreed: Option<Vec<ByteKind>> = None;
        for v in variants.indices() {
            let mut mine = vec![ByteKind::Other; size];
            classify(tcx, l.for_variant(&cx, v), 0, &mut mine);
            agreed = Some(match agreed {
                None => mine,
                Some(a) => a.iter().zip(&mine).map(|(x, y)| if x == y { *x } else { ByteKind::Other }).collect(),
            });
        }
        for (i, k) in agreed.unwrap_or_default().into_iter().enumerate() {
            if k != ByteKind::Other && out[at + i] == ByteKind::Other {
                out[at + i] = k;
            }
        }
    }
}
