//! Provenance carried by stored bytes: sorted lists of whole pointers and pointer fragments.
//!
//! Memory, the scratch buffer and the argument buffer keep the provenance of the bytes they
//! hold as a list of `(offset, ProvPart)`, sorted by offset and non-overlapping. A part is
//! either a whole pointer (it covers 8 bytes from its offset) or a fragment: byte `k` of a
//! pointer, covering one byte. Fragments appear when a pointer is only partly overwritten or
//! copied (a bytewise `memcpy` through `MaybeUninit<u8>`, a chunked copy straddling it); eight
//! fragments of one pointer at consecutive offsets, in order, are that pointer again and are
//! merged back into a whole entry, so a list never holds a complete set of fragments.
//!
//! Architecture invariant: the common case (whole pointers only) costs what it did before
//! fragments existed: a list without fragments takes the same steps, and only a write that
//! cuts through a pointer, or a copy of fragments, takes the slow paths here.

use crate::memory::Prov;

/// Provenance of a stored byte range: a whole pointer, or one byte of one (a fragment).
///
/// Same size as `Prov`: a fragment's index lives in the top bits of the allocation id
/// (allocation ids stay below `MAX_ALLOC_ID`, see `Memory::allocate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvPart(Prov);

/// Allocation ids must stay below this: the bits above hold a fragment's index.
pub const MAX_ALLOC_ID: u32 = 1 << 28;
const FRAG_BIT: u32 = 1 << 31;
const INDEX_SHIFT: u32 = 28;
const ID_MASK: u32 = MAX_ALLOC_ID - 1;

/// The size of a pointer: a whole part covers this many bytes.
pub const PTR_BYTES: u64 = 8;

impl ProvPart {
    #[inline]
    pub fn whole(p: Prov) -> ProvPart {
        ProvPart(p)
    }

    /// Byte `index` (0..8, in memory order) of a pointer with provenance `p`.
    #[inline]
    pub fn frag(p: Prov, index: u8) -> ProvPart {
        debug_assert!(index < 8 && p.alloc < MAX_ALLOC_ID);
        ProvPart(Prov { alloc: p.alloc | FRAG_BIT | ((index as u32) << INDEX_SHIFT), tag: p.tag })
    }

    /// The pointer's provenance, whole or not (what keeps allocations and tags alive).
    #[inline]
    pub fn prov(self) -> Prov {
        Prov { alloc: self.0.alloc & ID_MASK, tag: self.0.tag }
    }

    /// The provenance, if this is a whole pointer.
    #[inline]
    pub fn as_whole(self) -> Option<Prov> {
        (self.0.alloc & FRAG_BIT == 0).then_some(self.0)
    }

    /// The byte index, if this is a fragment.
    #[inline]
    pub fn frag_index(self) -> Option<u8> {
        (self.0.alloc & FRAG_BIT != 0).then_some(((self.0.alloc >> INDEX_SHIFT) & 7) as u8)
    }

    /// How many bytes it covers.
    #[inline]
    pub fn width(self) -> u64 {
        if self.0.alloc & FRAG_BIT == 0 { PTR_BYTES } else { 1 }
    }

    /// The fragment covering byte `k` of this part (`k` < `width()`).
    #[inline]
    pub fn byte(self, k: u64) -> ProvPart {
        match self.frag_index() {
            None => ProvPart::frag(self.0, k as u8),
            Some(_) => self,
        }
    }
}

pub type ProvList = Vec<(u64, ProvPart)>;

/// The index of the first part that ends after `start`. Parts do not overlap, so only the
/// one before the first part starting at or after `start` can reach over it.
#[inline]
fn first_overlapping(list: &[(u64, ProvPart)], start: u64) -> usize {
    let i = list.partition_point(|&(o, _)| o < start);
    if i > 0 && list[i - 1].0 + list[i - 1].1.width() > start { i - 1 } else { i }
}

/// Appends the parts of `list` that cover bytes in `start..end`, with offsets made relative
/// to `start` and moved by `out_base`. A whole pointer only partly inside the range is cut
/// into the fragments for the bytes inside.
pub fn slice_into(list: &[(u64, ProvPart)], start: u64, end: u64, out: &mut ProvList, out_base: u64) {
    if list.is_empty() || start >= end {
        return;
    }
    let lo = first_overlapping(list, start);
    for &(o, p) in &list[lo..] {
        if o >= end {
            break;
        }
        let w = p.width();
        if o >= start && o + w <= end {
            out.push((o - start + out_base, p));
        } else {
            for k in o.max(start)..(o + w).min(end) {
                out.push((k - start + out_base, p.byte(k - o)));
            }
        }
    }
}

/// `set_range` for a scalar of `size` bytes at `off` holding `prov` as a whole pointer (or
/// no provenance when `prov` is none).
#[inline]
pub fn set_scalar(list: &mut ProvList, off: u64, size: u64, prov: Prov) {
    if prov.is_some() {
        set_range(list, off, size, &[(0, ProvPart::whole(prov))]);
    } else if !list.is_empty() {
        set_range(list, off, size, &[]);
    }
}

/// Replaces the provenance of bytes `off..off + size` with `new` (offsets relative to `off`,
/// sorted). The bytes of a pointer outside the range that the range cuts through stay, as
/// fragments.
#[inline]
pub fn set_range(list: &mut ProvList, off: u64, size: u64, new: &[(u64, ProvPart)]) {
    if list.is_empty() && new.is_empty() {
        return;
    }
    let end = off + size;
    let lo = first_overlapping(list, off);
    let hi = list.partition_point(|&(o, _)| o < end);
    let cut_head = lo < hi && list[lo].0 < off;
    let cut_tail = lo < hi && list[hi - 1].0 + list[hi - 1].1.width() > end;
    let has_frags = new.iter().any(|(_, p)| p.frag_index().is_some());
    if !cut_head && !cut_tail && !has_frags {
        list.splice(lo..hi, new.iter().map(|&(o, p)| (o + off, p)));
        return;
    }
    set_range_slow(list, off, size, new, lo, hi, cut_head, cut_tail);
}

#[cold]
#[allow(clippy::too_many_arguments)]
fn set_range_slow(list: &mut ProvList, off: u64, size: u64, new: &[(u64, ProvPart)], lo: usize, hi: usize, cut_head: bool, cut_tail: bool) {
    let end = off + size;
    let mut repl: ProvList = Vec::with_capacity(new.len() + 16);
    if cut_head {
        let (o, p) = list[lo];
        for k in o..off {
            repl.push((k, p.byte(k - o)));
        }
    }
    repl.extend(new.iter().map(|&(o, p)| (o + off, p)));
    if cut_tail {
        let (o, p) = list[hi - 1];
        for k in end..o + p.width() {
            repl.push((k, p.byte(k - o)));
        }
    }
    let from = lo;
    let n = repl.len();
    list.splice(lo..hi, repl);
    merge_fragments(list, from.saturating_sub(8), (from + n + 8).min(list.len()));
}

/// Merges every run of eight in-order fragments of one pointer at consecutive offsets, within
/// `list[from..to]`, back into a whole pointer.
fn merge_fragments(list: &mut ProvList, from: usize, to: usize) {
    let mut i = from;
    let mut to = to;
    while i + 8 <= to {
        if let Some(p) = reassembled(&list[i..i + 8]) {
            let o = list[i].0;
            list.splice(i..i + 8, [(o, ProvPart::whole(p))]);
            to -= 7;
        }
        i += 1;
    }
}

/// The pointer that eight parts are, if they are its eight fragments in order at
/// consecutive offsets.
pub fn reassembled(parts: &[(u64, ProvPart)]) -> Option<Prov> {
    let &[(o, first), ..] = parts else { return None };
    let complete = parts.len() == 8
        && parts
            .iter()
            .enumerate()
            .all(|(k, &(ok, pk))| ok == o + k as u64 && pk.frag_index() == Some(k as u8) && pk.prov() == first.prov());
    complete.then(|| first.prov())
}

/// The provenance of the `size` bytes at `off` (at most 8) when it is simple: `Some(NONE)`
/// when no part covers them, `Some(p)` when they are exactly one whole pointer; `None` when
/// fragments or part of a pointer are among them.
#[inline]
pub fn simple_at(list: &[(u64, ProvPart)], off: u64, size: u64) -> Option<Prov> {
    if list.is_empty() {
        return Some(Prov::NONE);
    }
    let i = first_overlapping(list, off);
    match list.get(i) {
        None => Some(Prov::NONE),
        Some(&(o, _)) if o >= off + size => Some(Prov::NONE),
        Some(&(o, p)) if o == off && size == 8 && list.get(i + 1).is_none_or(|&(n, _)| n >= off + 8) => p.as_whole(),
        Some(_) => None,
    }
}

/// The whole pointer's provenance at exactly `off`, if there is one.
#[inline(always)]
pub fn whole_at(list: &[(u64, ProvPart)], off: u64) -> Prov {
    if list.len() <= 4 {
        for &(o, p) in list {
            if o == off {
                return p.as_whole().unwrap_or(Prov::NONE);
            }
        }
        return Prov::NONE;
    }
    whole_at_search(list, off)
}

fn whole_at_search(list: &[(u64, ProvPart)], off: u64) -> Prov {
    match list.binary_search_by_key(&off, |&(o, _)| o) {
        Ok(i) => list[i].1.as_whole().unwrap_or(Prov::NONE),
        Err(_) => Prov::NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Prov = Prov { alloc: 7, tag: 3 };
    const Q: Prov = Prov { alloc: 9, tag: 0 };

    #[test]
    fn simple_provenance_of_a_word() {
        let list: ProvList = vec![(8, ProvPart::whole(P)), (16, ProvPart::frag(Q, 0))];
        assert_eq!(simple_at(&list, 0, 8), Some(Prov::NONE));
        assert_eq!(simple_at(&list, 8, 8), Some(P));
        assert_eq!(simple_at(&list, 8, 4), None, "part of a pointer");
        assert_eq!(simple_at(&list, 12, 4), None, "the other part");
        assert_eq!(simple_at(&list, 16, 8), None, "a fragment");
        assert_eq!(simple_at(&list, 24, 8), Some(Prov::NONE));
        assert_eq!(simple_at(&[], 0, 8), Some(Prov::NONE));
    }

    fn whole(o: u64, p: Prov) -> (u64, ProvPart) {
        (o, ProvPart::whole(p))
    }

    #[test]
    fn parts_encode_and_decode() {
        let f = ProvPart::frag(P, 5);
        assert_eq!(f.prov(), P);
        assert_eq!(f.frag_index(), Some(5));
        assert_eq!(f.as_whole(), None);
        assert_eq!(f.width(), 1);
        assert_eq!(ProvPart::whole(P).as_whole(), Some(P));
        assert_eq!(ProvPart::whole(Prov { alloc: 0, tag: u32::MAX }).prov().tag, u32::MAX);
    }

    #[test]
    fn partial_overwrite_leaves_fragments_and_restoring_the_byte_makes_the_pointer_whole() {
        let mut l = vec![whole(8, P)];
        set_range(&mut l, 10, 1, &[]);
        assert_eq!(l.len(), 7);
        assert_eq!(whole_at(&l, 8), Prov::NONE);
        set_range(&mut l, 10, 1, &[(0, ProvPart::frag(P, 2))]);
        assert_eq!(l, vec![whole(8, P)]);
        // The wrong index does not restore it.
        set_range(&mut l, 15, 1, &[(0, ProvPart::frag(P, 1))]);
        assert_eq!(whole_at(&l, 8), Prov::NONE);
    }

    #[test]
    fn slicing_cuts_pointers_at_the_edges_and_bytewise_copies_reassemble() {
        let src = vec![whole(4, P), whole(16, Q)];
        let mut chunk = Vec::new();
        slice_into(&src, 0, 8, &mut chunk, 0);
        assert_eq!(chunk, (4..8).map(|k| (k, ProvPart::frag(P, (k - 4) as u8))).collect::<Vec<_>>());
        // Copy 24 bytes one at a time into another list.
        let mut dst = Vec::new();
        for b in 0..24 {
            let mut one = Vec::new();
            slice_into(&src, b, b + 1, &mut one, 0);
            set_range(&mut dst, b, 1, &one);
        }
        assert_eq!(dst, src);
        // Whole pointers inside the range stay whole.
        let mut all = Vec::new();
        slice_into(&src, 0, 24, &mut all, 100);
        assert_eq!(all, vec![whole(104, P), whole(116, Q)]);
    }

    #[test]
    fn out_of_order_fragments_stay_fragments() {
        let mut l = Vec::new();
        for k in 0..8u64 {
            set_range(&mut l, k, 1, &[(0, ProvPart::frag(P, (7 - k) as u8))]);
        }
        assert_eq!(l.len(), 8);
        assert_eq!(whole_at(&l, 0), Prov::NONE);
        // Overwriting all of it clears it.
        set_range(&mut l, 0, 8, &[]);
        assert!(l.is_empty());
    }
}
