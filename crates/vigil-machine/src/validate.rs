//! Runs validity programs: checks that a value just copied, passed or returned is valid
//! for its type.

use vigil_ir::{DiscrKind, DynLayout, RefKind, RetagMode, VCheck, Validity};

use crate::arith::{sign_extend, truncate};
use crate::bytes::le_int;
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr, fmt_ptr};
use crate::{Loc, Machine};

fn invalid(what: impl std::fmt::Display) -> Error {
    Error::ub(format!("constructing invalid value: encountered {what}"))
}

/// Where a value being checked lies: its bytes, their initialization and the provenance of
/// the whole pointers in it (offsets relative to the value's start).
trait ValueBytes {
    fn is_init(&self, off: u32, size: u32) -> bool;
    fn int(&self, off: u32, size: u32) -> u128;
    /// The provenance of a whole pointer stored at `off` (none for fragments).
    fn prov_at(&self, off: u32) -> Prov;
    #[inline]
    fn ptr(&self, off: u32) -> Ptr {
        Ptr { addr: self.int(off, 8) as u64, prov: self.prov_at(off) }
    }
}

/// A value copied out of memory (or registers holding pointer fragments) for checking.
struct Value {
    bytes: Vec<u8>,
    init: Vec<u8>,
    prov: crate::prov_map::ProvList,
}

impl ValueBytes for Value {
    fn is_init(&self, off: u32, size: u32) -> bool {
        crate::memory::all_init(&self.init[off as usize..(off + size) as usize])
    }
    fn int(&self, off: u32, size: u32) -> u128 {
        le_int(&self.bytes[off as usize..(off + size) as usize])
    }
    #[inline]
    fn prov_at(&self, off: u32) -> Prov {
        crate::prov_map::whole_at(&self.prov, off as u64)
    }
}

/// A value checked where it lies in the registers, without copying it. Only while no
/// register word holds pointer fragments: then whole pointers are exactly the provenance
/// words of aligned words.
struct RegView<'a> {
    regs: &'a [u8],
    init: &'a [u8],
    prov: &'a [Prov],
    abs: usize,
}

impl ValueBytes for RegView<'_> {
    #[inline]
    fn is_init(&self, off: u32, size: u32) -> bool {
        let s = self.abs + off as usize;
        let mask = &self.init[s..s + size as usize];
        // (The scalar sizes as loads of a constant size.)
        const WORD: u64 = 0x0101_0101_0101_0101;
        match *mask {
            [b] => b == 1,
            [a, b, c, d] => u32::from_ne_bytes([a, b, c, d]) == WORD as u32,
            _ if size == 8 => u64::from_ne_bytes(mask.try_into().unwrap()) == WORD,
            _ if size == 16 => u128::from_ne_bytes(mask.try_into().unwrap()) == (WORD as u128) * (1 + (1 << 64)),
            _ => crate::memory::all_init(mask),
        }
    }
    #[inline]
    fn int(&self, off: u32, size: u32) -> u128 {
        let s = self.abs + off as usize;
        le_int(&self.regs[s..s + size as usize])
    }
    #[inline]
    fn prov_at(&self, off: u32) -> Prov {
        let s = self.abs + off as usize;
        if s.is_multiple_of(8) { self.prov[s / 8] } else { Prov::NONE }
    }
}

/// A reference found in a value, to be retagged after the value is checked.
pub(crate) struct RetagRequest {
    offset: u32,
    ptr: Ptr,
    size: u64,
    kind: RefKind,
    cells: Option<std::sync::Arc<[(u32, u32)]>>,
}

impl Machine<'_> {
    /// Checks the value at `loc` against `v` and retags the references in it as `retag` says.
    pub(crate) fn validate(&mut self, loc: Loc, v: &Validity, retag: RetagMode) -> Res<()> {
        let mut retags = std::mem::take(&mut self.retag_buf);
        retags.clear();
        let want_retags = retag != RetagMode::None && self.mem.sb.is_some();
        let mut padding = std::mem::take(&mut self.padding_buf);
        padding.clear();
        let r = match loc {
            // In the registers the value is checked in place.
            Loc::Reg(abs) if self.reg_frags.is_empty() => {
                let view = RegView { regs: &self.regs, init: &self.reg_init, prov: &self.reg_prov, abs };
                self.check_value(&view, 0, v, if want_retags { Some(&mut retags) } else { None }, &mut padding)
            }
            _ => {
                self.load_loc(loc, v.size as u64)?;
                let value = Value {
                    bytes: std::mem::take(&mut self.scratch),
                    init: std::mem::take(&mut self.scratch_init),
                    prov: std::mem::take(&mut self.scratch_prov),
                };
                let r = self.check_value(&value, 0, v, if want_retags { Some(&mut retags) } else { None }, &mut padding);
                // Give the buffers back so they keep their capacity.
                (self.scratch, self.scratch_init, self.scratch_prov) = (value.bytes, value.init, value.prov);
                r
            }
        };
        r?;
        // A typed copy does not keep padding: it is uninitialized in the copy.
        for &(s, e) in &padding {
            self.mark_loc_uninit(loc.offset(s as u64), (e - s) as usize);
        }
        self.padding_buf = padding;
        for req in retags.drain(..) {
            let new = self.retag_pointer(req.ptr, req.size, req.kind, retag, req.cells.as_deref())?;
            if new != req.ptr {
                self.write_loc_scalar(loc.offset(req.offset as u64), 8, new.addr as u128, new.prov)?;
            }
        }
        self.retag_buf = retags;
        Ok(())
    }

    /// `ValidateRefReg`: the pointer at register `abs` (`v` checks it alone, or a trait
    /// object and its vtable; a wide one's metadata in the next word; `nullable`: `v` is an `Option` of it, null being `None`)
    /// is checked and retagged in place, as `validate` would. `Ok(false)`, having done
    /// nothing, when the general path must run: a check fails (it reports), validation is
    /// off, registers hold pointer fragments, or the pointer is a wildcard.
    ///
    /// # Safety
    /// `abs` is the register field of a `ValidateRefReg` in the running frame, whose first
    /// word is in bounds (register bounds; its width is at least 8).
    #[inline]
    pub(crate) unsafe fn validate_ref_reg(
        &mut self,
        abs: usize,
        v: &Validity,
        retag: RetagMode,
        nullable: bool,
        unobserved: vigil_ir::Unobserved,
    ) -> Res<bool> {
        // SAFETY: the caller's guarantee.
        if !self.config.validation || !self.reg_frags.is_empty() || !unsafe { self.field_word_init(abs) } {
            return Ok(false);
        }
        // SAFETY: the caller's guarantee.
        let p = unsafe { self.field_word(abs) };
        let addr = p.addr;
        let check = if nullable {
            let VCheck::Enum { info, variants, .. } = &v.checks[0] else { return Ok(false) };
            let DiscrKind::Niche { untagged, .. } = info.kind else { return Ok(false) };
            if addr == 0 && p.prov.is_none() {
                // `None`: nothing more to check.
                return Ok(true);
            }
            &variants[untagged as usize].checks[0]
        } else {
            &v.checks[0]
        };
        let VCheck::Ref { align, size, kind, unsized_layout, ref cells, .. } = *check else { return Ok(false) };
        if addr == 0 || p.prov.alloc == 0 || p.prov.tag == Prov::WILDCARD_TAG {
            return Ok(false);
        }
        // (The alignment from the address in line: `ptr_align` takes the pointer whole,
        // which the compiler spilled and reloaded at once, a stall on every check.)
        let have = if self.mem.symbolic_alignment { self.ptr_align(p) } else { 1 << addr.trailing_zeros() };
        if have < align as u64 {
            return Ok(false);
        }
        let size = match (size, unsized_layout) {
            (Some(size), _) => size as u64,
            (None, Some(layout)) => {
                // The pointee's size (and a trait object's alignment) from the metadata.
                if !self.reg_word_init(abs + 8) {
                    return Ok(false);
                }
                let addr = u64::from_le_bytes(self.regs[abs + 8..abs + 16].try_into().unwrap());
                let meta = Ptr { addr, prov: self.reg_prov[abs / 8 + 1] };
                let Some((size, dyn_align)) = self.dyn_meta(layout, meta).ok().and_then(|m| layout.size_align(m)) else {
                    return Ok(false);
                };
                if have < dyn_align {
                    return Ok(false);
                }
                // A trait object's vtable must be one of its trait's.
                if let Some(&VCheck::Vtable { offset: 8, expected }) = v.checks.get(1)
                    && !matches!(self.check_vtable(meta, expected), Ok(None))
                {
                    return Ok(false);
                }
                size
            }
            (None, None) => 0,
        };
        if size > 0 {
            let a = self.mem.get(p.prov);
            let off = addr.wrapping_sub(a.base);
            if !a.live || off > a.size || a.size - off < size {
                return Ok(false);
            }
        }
        if retag != RetagMode::None && self.mem.sb.is_some() && kind != RefKind::Untracked {
            // (A pointer with provenance, no wildcard: checked above. Only references
            // without `UnsafeCell` are found unobservable.)
            debug_assert!(unobserved == vigil_ir::Unobserved::No || cells.is_none());
            let new = match unobserved {
                vigil_ir::Unobserved::No => self.retag_resolved(p, size, kind, retag, cells.as_deref())?,
                vigil_ir::Unobserved::Alone | vigil_ir::Unobserved::BesideReads => {
                    self.retag_unobserved(p, size, kind, retag, unobserved)?
                }
                vigil_ir::Unobserved::IntoCallee => self.retag_into_callee(p, size, kind, retag)?,
            };
            // Only the tag changes (the pointer is no wildcard, so its allocation stays):
            // the register's bytes and their initialization are already the new pointer's.
            debug_assert_eq!((new.addr, new.prov.alloc), (addr, p.prov.alloc));
            self.reg_prov[abs / 8] = new.prov;
        }
        Ok(true)
    }

    /// `ValidateScalarReg`'s commonest checks, at once: an aligned word that must be
    /// initialized and in a range (`NonZero`, `NonNull`, a niche's), and a `bool`. `None`
    /// for any other validity (`scalars_valid_in_regs` then decides).
    ///
    /// # Safety
    /// `abs` is the register field the instruction validates, in the running frame, as wide
    /// as `v` (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn common_scalar_valid(&self, abs: usize, v: &Validity) -> Option<bool> {
        match *v.checks.as_slice() {
            [VCheck::Init { offset: 0, size: 8, .. }, VCheck::Range { offset: 0, size: 8, start, end }]
                if abs.is_multiple_of(8) && self.reg_frags.is_empty() =>
            {
                // SAFETY: the caller's guarantee (8 bytes, `v.size` is at least the range's).
                let (init, word) = unsafe { (self.field_word_init(abs), self.field_word(abs)) };
                // (As `scalar_valid`: a pointer with provenance is never null.)
                Some(init && (vigil_ir::in_wrapping_range(word.addr as u128, start, end) || word.prov.is_some()))
            }
            [VCheck::Bool { offset }] => {
                let at = abs + offset as usize;
                // SAFETY: the caller's guarantee (the byte lies inside the value).
                Some(unsafe { self.field_init(at, 1) } && self.regs[at] <= 1)
            }
            _ => None,
        }
    }

    /// `ValidateScalarReg`: whether the value at register `abs` passes every check of `v`
    /// (initialized bytes, `bool`s, `char`s and ranges, and enums of those, nested at any
    /// offset, with any tag encoding), marking the padding of the value and of each enum's
    /// variant uninitialized as a typed copy does. False, having changed nothing, when one
    /// fails, and while registers hold pointer fragments: the general path then runs and
    /// reports.
    #[inline]
    pub(crate) fn scalars_valid_in_regs(&mut self, abs: usize, v: &Validity) -> bool {
        if !self.reg_frags.is_empty() {
            return false;
        }
        let padding = &mut self.padding_buf;
        padding.clear();
        let val = RegView { regs: &self.regs, init: &self.reg_init, prov: &self.reg_prov, abs };
        let valid = scalars_valid(&val, 0, v, padding);
        if valid && self.config.validation {
            // A typed copy does not keep padding (as `validate` does).
            for &(s, e) in &self.padding_buf {
                self.reg_init[abs + s as usize..abs + e as usize].fill(0);
            }
        }
        valid
    }

    /// The size of the pointee of a (possibly wide) pointer at `o` in `val`.
    fn pointee_size(&self, val: &impl ValueBytes, o: u32, size: Option<u32>, layout: Option<DynLayout>) -> Res<u64> {
        Ok(self.pointee_size_align(val, o, size, layout)?.0)
    }

    /// The pointee's size and the alignment its metadata asks for beyond the static one
    /// (a `dyn` value's alignment comes from its vtable; 1 when nothing more is known).
    fn pointee_size_align(&self, val: &impl ValueBytes, o: u32, size: Option<u32>, layout: Option<DynLayout>) -> Res<(u64, u64)> {
        if let Some(s) = size {
            return Ok((s as u64, 1));
        }
        let layout = match layout {
            None => return Ok((0, 1)),
            Some(DynLayout::Sized { size, .. }) => return Ok((size, 1)),
            Some(l) => l,
        };
        let meta = self.dyn_meta(layout, val.ptr(o + 8))?;
        Ok(layout.size_align(meta).unwrap_or((u64::MAX, 1)))
    }

    fn check_value<V: ValueBytes>(
        &self,
        val: &V,
        base: u32,
        v: &Validity,
        mut retags: Option<&mut Vec<RetagRequest>>,
        padding: &mut Vec<(u32, u32)>,
    ) -> Res<()> {
        let report = self.config.validation;
        for c in &v.checks {
            // With validation off, only the references (for retags) are looked at.
            if !report && !matches!(c, VCheck::Ref { .. } | VCheck::Enum { .. } | VCheck::Array { .. }) {
                continue;
            }
            match c {
                &VCheck::Init { offset, size, expected } => {
                    if !val.is_init(base + offset, size) {
                        return Err(invalid(format_args!("uninitialized memory, but expected {}", expected.describe())));
                    }
                }
                &VCheck::Bool { offset } => {
                    let o = base + offset;
                    if !val.is_init(o, 1) {
                        return Err(invalid("uninitialized memory, but expected a boolean"));
                    }
                    let b = val.int(o, 1);
                    if b > 1 {
                        return Err(invalid(format_args!("{b:#04x}, but expected a boolean")));
                    }
                }
                &VCheck::Char { offset } => {
                    let o = base + offset;
                    if !val.is_init(o, 4) {
                        return Err(invalid("uninitialized memory, but expected a unicode scalar value"));
                    }
                    let c = val.int(o, 4) as u32;
                    if char::from_u32(c).is_none() {
                        return Err(invalid(format_args!(
                            "{c:#010x}, but expected a valid unicode scalar value (in `0..=0x10FFFF` but not in `0xD800..=0xDFFF`)"
                        )));
                    }
                }
                &VCheck::Range { offset, size, start, end } => {
                    let o = base + offset;
                    if !val.is_init(o, size) {
                        return Err(invalid("uninitialized memory, but expected initialized data"));
                    }
                    let x = val.int(o, size);
                    let ok = vigil_ir::in_wrapping_range(x, start, end);
                    // A pointer with provenance is never null, and ranges only exclude small values.
                    let has_prov = size == 8 && val.prov_at(o).is_some();
                    if !ok && !has_prov {
                        let shown = if x == 0 { "0".to_string() } else { format!("{x:#x}") };
                        let max = truncate(u128::MAX, size * 8);
                        return Err(invalid(format_args!("{shown}, but expected something {}", describe_range(start, end, max))));
                    }
                }
                VCheck::Ref { offset, align, size, is_box, kind: ref_kind, unsized_layout, cells, may_dangle } => {
                    let (offset, align, size, is_box, ref_kind, unsized_layout) =
                        (*offset, *align, *size, *is_box, *ref_kind, *unsized_layout);
                    let o = base + offset;
                    if *may_dangle {
                        // Inside `MaybeDangling`: non-null and aligned only; not retagged.
                        if report && val.is_init(o, 8) {
                            let p = val.ptr(o);
                            let kind = if is_box { "box" } else { "reference" };
                            if p.addr == 0 {
                                return Err(invalid(format_args!("a null {kind}")));
                            }
                            let have = self.ptr_align(p);
                            if have < align as u64 {
                                return Err(invalid(format_args!(
                                    "an unaligned {kind} (required {align} byte alignment but found {have})"
                                )));
                            }
                        }
                        continue;
                    }
                    if !report {
                        // Validation off: only find the references to retag.
                        if let Some(r) = retags.as_deref_mut()
                            && val.is_init(o, 8)
                        {
                            let p = val.ptr(o);
                            if p.prov.is_some() {
                                let size = self.pointee_size(val, o, size, unsized_layout).unwrap_or(0);
                                r.push(RetagRequest { offset: o, ptr: p, size, kind: ref_kind, cells: cells.clone() });
                            }
                        }
                        continue;
                    }
                    let kind = if is_box { "box" } else { "reference" };
                    if !val.is_init(o, 8) {
                        return Err(invalid(format_args!("uninitialized memory, but expected a {kind}")));
                    }
                    let p = val.ptr(o);
                    // (A wildcard pointer stands for the exposed allocation it points into.)
                    let p = self.mem.resolve_wildcard(p, 0);
                    if p.addr == 0 {
                        return Err(invalid(format_args!("a null {kind}")));
                    }
                    // The pointee's size, then whether it is dereferenceable, then its
                    // alignment (a dangling reference is reported as such, aligned or not).
                    let (psize, dyn_align) = self.pointee_size_align(val, o, size, unsized_layout)?;
                    if psize > isize::MAX as u64 {
                        let what = match unsized_layout {
                            Some(DynLayout::Slice { header: 0, .. }) => "slice",
                            _ => "total size",
                        };
                        return Err(invalid(format_args!("invalid {kind} metadata: {what} is bigger than largest supported object")));
                    }
                    if psize > 0 {
                        let p = self.mem.resolve_wildcard(p, psize);
                        if p.prov.alloc == 0 {
                            return Err(invalid(format_args!("a dangling {kind} ({} has no provenance)", fmt_ptr(p))));
                        }
                        let a = self.mem.get(p.prov);
                        if !a.live {
                            return Err(invalid(format_args!("a dangling {kind} (use-after-free)")));
                        }
                        let off = p.addr.wrapping_sub(a.base);
                        if off > a.size || a.size - off < psize {
                            return Err(invalid(format_args!("a dangling {kind} (going beyond the bounds of its allocation)")));
                        }
                    }
                    let have = self.ptr_align(p);
                    if have < align as u64 {
                        return Err(invalid(format_args!("an unaligned {kind} (required {align} byte alignment but found {have})")));
                    }
                    if have < dyn_align {
                        return Err(invalid(format_args!("an unaligned {kind} (required {dyn_align} byte alignment but found {have})")));
                    }
                    if let Some(r) = retags.as_deref_mut() {
                        r.push(RetagRequest { offset: o, ptr: p, size: psize, kind: ref_kind, cells: cells.clone() });
                    }
                }
                &VCheck::FnPtr { offset } => {
                    let o = base + offset;
                    if !val.is_init(o, 8) {
                        return Err(invalid("uninitialized memory, but expected a function pointer"));
                    }
                    let p = val.ptr(o);
                    // Any non-null address will do (it is checked when called through).
                    if p.addr == 0 {
                        return Err(invalid("null pointer, but expected a function pointer"));
                    }
                }
                VCheck::Enum { offset, info, variants } => {
                    let o = base + offset;
                    let variant = match tag_variant(val, o, info) {
                        Ok(v) => v,
                        // With validation off, only the references (for retags) are looked
                        // at: in the variant a niche value names, even the untagged one.
                        Err(BadTag::NicheOfUntagged { variant, .. }) if !report => variant,
                        Err(_) if !report => continue,
                        Err(BadTag::Uninit) => return Err(invalid("uninitialized memory, but expected a valid enum tag")),
                        Err(BadTag::Invalid(raw) | BadTag::NicheOfUntagged { raw, .. }) => {
                            return Err(invalid(format_args!("{raw:#x}, but expected a valid enum tag")));
                        }
                    };
                    self.check_value(val, o, &variants[variant as usize], retags.as_deref_mut(), padding)?;
                }
                VCheck::Array { offset, elem_size, count, elem } => {
                    for i in 0..*count {
                        self.check_value(val, base + offset + (i as u32) * elem_size, elem, retags.as_deref_mut(), padding)?;
                    }
                }
                &VCheck::Vtable { offset, expected } => {
                    let o = base + offset;
                    let vt = val.ptr(o);
                    if let Some((expected, actual)) = self
                        .check_vtable(vt, expected)
                        .map_err(|_| invalid(format_args!("{}, but expected a vtable pointer", fmt_ptr(vt))))?
                    {
                        return Err(Error::ub(format!(
                            "constructing invalid value: wrong trait in wide pointer vtable: expected `{expected}`, but encountered `{actual}`"
                        )));
                    }
                }
                VCheck::Padding { ranges } => {
                    if report {
                        padding.extend(ranges.iter().map(|&(s, e)| (base + s, base + e)));
                    }
                }
                VCheck::Uninhabited { ty } => {
                    let ty = self.frontend.type_name(*ty);
                    return Err(invalid(format_args!("a value of uninhabited type `{ty}`")));
                }
                VCheck::PtrToUninhabited { is_box, ty } => {
                    let what = if *is_box { "box" } else { "reference" };
                    let ty = self.frontend.type_name(*ty);
                    return Err(invalid(format_args!("a {what} pointing to uninhabited type {ty}")));
                }
            }
        }
        Ok(())
    }
}

impl Machine<'_> {
    /// Marks `size` bytes at `loc` uninitialized (padding of a value just copied there).
    fn mark_loc_uninit(&mut self, loc: Loc, size: usize) {
        match loc {
            Loc::Reg(abs) => self.reg_init[abs..abs + size].fill(0),
            Loc::Mem(p) => {
                let p = self.mem.resolve_wildcard(p, size as u64);
                if p.prov.alloc != 0 && self.mem.get(p.prov).live {
                    let a = self.mem.get(p.prov);
                    if p.addr >= a.base && p.addr - a.base + size as u64 <= a.size {
                        self.mem.mark_uninit(p, size as u64);
                    }
                }
            }
        }
    }
}

/// The variant whose value a direct tag's raw bits give, if any.
#[inline]
fn direct_variant(info: &vigil_ir::DiscrInfo, tag: vigil_ir::IntTy, raw: u128) -> Option<u32> {
    let d = if tag.signed { sign_extend(raw, tag.bits()) as u128 } else { raw };
    let d = truncate(d, info.result.bits());
    info.values.iter().position(|&x| x == d).map(|v| v as u32)
}

/// Whether the value at `base` in `val` passes `v`, which checks only scalars, padding and
/// enums of those (what `ValidateScalarReg` carries); the padding of the value and of the
/// variants found goes to `padding`. False for any other check: the general path decides.
#[inline]
fn scalars_valid(val: &RegView, base: u32, v: &Validity, padding: &mut Vec<(u32, u32)>) -> bool {
    for c in v.checks.iter() {
        let valid = match *c {
            VCheck::Init { offset, size, .. } => val.is_init(base + offset, size),
            VCheck::Bool { offset } => {
                let o = base + offset;
                val.is_init(o, 1) && val.int(o, 1) <= 1
            }
            VCheck::Char { offset } => {
                let o = base + offset;
                val.is_init(o, 4) && char::from_u32(val.int(o, 4) as u32).is_some()
            }
            VCheck::Range { offset, size, start, end } => {
                let o = base + offset;
                // (A pointer with provenance is never null: see `check_value`.)
                val.is_init(o, size)
                    && (vigil_ir::in_wrapping_range(val.int(o, size), start, end) || (size == 8 && val.prov_at(o).is_some()))
            }
            VCheck::Padding { ref ranges } => {
                padding.extend(ranges.iter().map(|&(s, e)| (base + s, base + e)));
                true
            }
            VCheck::Enum { offset, ref info, ref variants } => enum_scalars_valid(val, base + offset, info, variants, padding),
            _ => false,
        };
        if !valid {
            return false;
        }
    }
    true
}

/// `scalars_valid` of the enum at `o` in `val`: its tag, then its variant's checks. (Out
/// of line: the recursion stays here, so that `scalars_valid` itself can be inlined.)
#[inline(never)]
fn enum_scalars_valid(val: &RegView, o: u32, info: &vigil_ir::DiscrInfo, variants: &[Validity], padding: &mut Vec<(u32, u32)>) -> bool {
    tag_variant(val, o, info).ok().and_then(|i| variants.get(i as usize)).is_some_and(|v| scalars_valid(val, o, v, padding))
}

/// Why an enum's tag encodes no variant.
enum BadTag {
    Uninit,
    /// These raw bits encode no variant.
    Invalid(u128),
    /// The niche value that would encode the untagged variant `variant`, which a niche never
    /// encodes.
    NicheOfUntagged {
        raw: u128,
        variant: u32,
    },
}

/// The variant of the enum at `o` in `val` that its tag encodes.
#[inline]
fn tag_variant(val: &impl ValueBytes, o: u32, info: &vigil_ir::DiscrInfo) -> Result<u32, BadTag> {
    match info.kind {
        DiscrKind::Single { variant } => Ok(variant),
        DiscrKind::Direct { offset: t, tag } => {
            if !val.is_init(o + t, tag.size as u32) {
                return Err(BadTag::Uninit);
            }
            let raw = val.int(o + t, tag.size as u32);
            direct_variant(info, tag, raw).ok_or(BadTag::Invalid(raw))
        }
        DiscrKind::Niche { offset: t, tag, untagged, variants_start, variants_end, niche_start } => {
            if !val.is_init(o + t, tag.size as u32) {
                return Err(BadTag::Uninit);
            }
            let has_prov = tag.size == 8 && val.prov_at(o + t).is_some();
            let raw = val.int(o + t, tag.size as u32);
            let rel = truncate(raw.wrapping_sub(niche_start), tag.bits());
            if has_prov || rel > (variants_end - variants_start) as u128 {
                return Ok(untagged);
            }
            // The niche value that would encode the untagged variant encodes nothing.
            let v = variants_start + rel as u32;
            if v == untagged { Err(BadTag::NicheOfUntagged { raw, variant: v }) } else { Ok(v) }
        }
    }
}

/// A wrapping range of valid values in words, as the reference interpreter puts it.
fn describe_range(start: u128, end: u128, max: u128) -> String {
    if start == end {
        format!("equal to {start}")
    } else if start > end {
        format!("less or equal to {end}, or greater or equal to {start}")
    } else if end == max {
        format!("greater or equal to {start}")
    } else if start == 0 {
        format!("less or equal to {end}")
    } else {
        format!("in the range {start}..={end}")
    }
}
