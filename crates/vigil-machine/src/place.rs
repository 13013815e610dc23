//! Place evaluation and moving bytes (with provenance) between registers and memory.

use vigil_ir::{ConstValue, Operand, PlaceBase, PlaceId, Proj};

use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr, UNINIT, all_init};
use crate::prov_map::{self, ProvList, ProvPart};
use crate::{Loc, Machine};

/// An evaluated place: where it is and, for unsized places, its metadata.
#[derive(Clone, Copy, Debug)]
pub struct PlaceVal {
    pub loc: Loc,
    pub meta: Option<(u64, Prov)>,
    /// The pointer the last dereference went through (projections from it are in-bounds
    /// pointer arithmetic).
    pub deref: Option<Ptr>,
}

/// Register bytes `[at, at + N)` without a bounds check.
///
/// # Safety
/// `at + N <= v.len()` (see "register bounds" in `Machine`'s register helpers).
#[inline(always)]
unsafe fn frame_bytes<const N: usize>(v: &[u8], at: usize) -> [u8; N] {
    debug_assert!(at + N <= v.len());
    // SAFETY: the caller guarantees that the bytes lie inside `v`.
    unsafe { v.as_ptr().add(at).cast::<[u8; N]>().read_unaligned() }
}

/// Writes register bytes `[at, at + N)` without a bounds check.
///
/// # Safety
/// `at + N <= v.len()`.
#[inline(always)]
unsafe fn set_frame_bytes<const N: usize>(v: &mut [u8], at: usize, x: [u8; N]) {
    debug_assert!(at + N <= v.len());
    // SAFETY: the caller guarantees that the bytes lie inside `v`.
    unsafe { v.as_mut_ptr().add(at).cast::<[u8; N]>().write_unaligned(x) }
}

/// The provenance of register word `word` without a bounds check.
///
/// # Safety
/// `word < v.len()`.
#[inline(always)]
unsafe fn frame_prov(v: &[Prov], word: usize) -> Prov {
    debug_assert!(word < v.len());
    // SAFETY: the caller guarantees that the word lies inside `v`.
    unsafe { *v.get_unchecked(word) }
}

/// Sets the provenance of register word `word` without a bounds check.
///
/// # Safety
/// `word < v.len()`.
#[inline(always)]
unsafe fn set_frame_prov(v: &mut [Prov], word: usize, p: Prov) {
    debug_assert!(word < v.len());
    // SAFETY: the caller guarantees that the word lies inside `v`.
    unsafe { *v.get_unchecked_mut(word) = p }
}

impl Machine<'_> {
    #[inline]
    pub(crate) fn base(&self) -> usize {
        // The stack is never empty while instructions run.
        self.stack.last().map(|f| f.base).unwrap_or(0)
    }

    // ---- registers ----
    //
    // Register bounds (an architecture invariant): `regs` and `reg_init` have the same
    // length, `reg_prov` one entry per 8 of their bytes, and every frame on the running
    // thread's stack lies inside them (`enter_frame` grows them, nothing shrinks them under
    // a frame, a thread switch swaps all three with the stack). Every register field of an
    // installed function's instructions lies inside its frame with the width the
    // instruction gives it (`vigil_ir::check_register_bounds`, when it is installed). So
    // `base + offset` of such a field, for that width, is in bounds while the frame runs:
    // the accessors below marked `unsafe` read and write those bytes without a check, and
    // are called only with such fields.

    /// Reads a scalar from the registers; its bytes must be initialized.
    #[inline]
    pub(crate) fn reg_read(&self, abs: usize, size: usize) -> Res<(u128, Prov)> {
        let ok = if size == 8 { self.reg_word_init(abs) } else { all_init(&self.reg_init[abs..abs + size]) };
        if !ok {
            return Err(Error::ub(UNINIT));
        }
        Ok(self.reg_read_raw(abs, size))
    }

    /// Whether the 8 register bytes at `abs` are all initialized.
    #[inline(always)]
    pub(crate) fn reg_word_init(&self, abs: usize) -> bool {
        u64::from_ne_bytes(self.reg_init[abs..abs + 8].try_into().unwrap()) == 0x0101_0101_0101_0101
    }

    /// `reg_word_init` of a register field's first word, without a bounds check.
    ///
    /// # Safety
    /// `abs..abs + 8` is a register field's bytes in the running frame (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn field_word_init(&self, abs: usize) -> bool {
        // SAFETY: the caller's guarantee; `reg_init` is as long as `regs`.
        u64::from_ne_bytes(unsafe { frame_bytes(&self.reg_init, abs) }) == 0x0101_0101_0101_0101
    }

    /// Whether the register bytes `[abs, abs + size)` are all initialized, without a bounds
    /// check.
    ///
    /// # Safety
    /// The bytes lie inside a register field in the running frame (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn field_init(&self, abs: usize, size: usize) -> bool {
        match size {
            // SAFETY (each arm): the caller's guarantee.
            8 => unsafe { self.field_word_init(abs) },
            4 => u32::from_ne_bytes(unsafe { frame_bytes(&self.reg_init, abs) }) == 0x0101_0101,
            1 => (unsafe { frame_bytes::<1>(&self.reg_init, abs) })[0] == 1,
            _ => {
                debug_assert!(abs + size <= self.reg_init.len());
                all_init(unsafe { std::slice::from_raw_parts(self.reg_init.as_ptr().add(abs), size) })
            }
        }
    }

    /// The provenance word holding the first byte of a register field, without a bounds
    /// check.
    ///
    /// # Safety
    /// `abs` is a byte of a register field in the running frame (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn field_prov(&self, abs: usize) -> Prov {
        // SAFETY: the word of a byte inside `regs` is inside `reg_prov`.
        unsafe { frame_prov(&self.reg_prov, abs / 8) }
    }

    /// The first `size` (1, 2, 4 or 8) bytes of a register field and their initialization,
    /// in the low bytes of two words, without a bounds check.
    ///
    /// # Safety
    /// `abs..abs + size` is a register field's bytes in the running frame, and `size` is 1,
    /// 2, 4 or 8 (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn small_field(&self, abs: usize, size: u32) -> ([u8; 8], [u8; 8]) {
        let (r, i) = (&self.regs, &self.reg_init);
        let (mut bytes, mut init) = ([0u8; 8], [0u8; 8]);
        // SAFETY: the caller's guarantee for `size` bytes.
        unsafe {
            match size {
                1 => (bytes[..1].copy_from_slice(&frame_bytes::<1>(r, abs)), init[..1].copy_from_slice(&frame_bytes::<1>(i, abs))),
                2 => (bytes[..2].copy_from_slice(&frame_bytes::<2>(r, abs)), init[..2].copy_from_slice(&frame_bytes::<2>(i, abs))),
                4 => (bytes[..4].copy_from_slice(&frame_bytes::<4>(r, abs)), init[..4].copy_from_slice(&frame_bytes::<4>(i, abs))),
                // (8: `check_register_bounds` refuses any other size for a `StoreReg`.)
                _ => (bytes = frame_bytes(r, abs), init = frame_bytes(i, abs)),
            };
        }
        (bytes, init)
    }

    /// The bytes and provenance of a register field's first word (not checked for
    /// initialization or fragments), without a bounds check.
    ///
    /// # Safety
    /// `abs..abs + 8` is a register field's bytes in the running frame (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn field_word(&self, abs: usize) -> Ptr {
        // SAFETY: the caller's guarantee; the word of a byte inside `regs` is inside `reg_prov`.
        unsafe { Ptr { addr: u64::from_le_bytes(frame_bytes(&self.regs, abs)), prov: frame_prov(&self.reg_prov, abs / 8) } }
    }

    /// The pointer in the register word at `abs`, if the word is aligned, initialized and
    /// holds a whole pointer or none (what `reg_read` of 8 bytes gives without an error),
    /// without a bounds check.
    ///
    /// # Safety
    /// `abs..abs + 8` lies inside the register file: a register field's word, or the
    /// pointer a place dereferences first (both verified at install, register bounds).
    #[inline(always)]
    pub(crate) unsafe fn field_whole_ptr(&self, abs: usize) -> Option<Ptr> {
        // SAFETY: the caller's guarantee.
        if !abs.is_multiple_of(8) || !unsafe { self.field_word_init(abs) } {
            return None;
        }
        // SAFETY: the caller's guarantee.
        let p = unsafe { self.field_word(abs) };
        (p.prov != Prov::FRAGMENTS).then_some(p)
    }

    /// Reads a machine-managed register slot (a local's pointer, the caller location),
    /// which is always initialized.
    #[inline]
    pub(crate) fn reg_read_raw(&self, abs: usize, size: usize) -> (u128, Prov) {
        let r = &self.regs[abs..abs + size];
        let v = match size {
            1 => r[0] as u128,
            2 => u16::from_le_bytes([r[0], r[1]]) as u128,
            4 => u32::from_le_bytes(r.try_into().unwrap()) as u128,
            8 => {
                let v = u64::from_le_bytes(r.try_into().unwrap()) as u128;
                let prov = if abs.is_multiple_of(8) { self.reg_prov[abs / 8] } else { Prov::NONE };
                // (A word of fragments holds no pointer: a complete set is kept whole.)
                return (v, if prov == Prov::FRAGMENTS { Prov::NONE } else { prov });
            }
            _ => {
                let mut buf = [0u8; 16];
                buf[..size].copy_from_slice(r);
                u128::from_le_bytes(buf)
            }
        };
        (v, Prov::NONE)
    }

    /// Makes `n` register bytes at `abs` uninitialized and without provenance (an inlined
    /// callee's fresh registers, `StorageLive` of a promoted local). The commonest sizes are
    /// fixed-size stores: a `fill` of a run-time length is a `memset` call, and half a
    /// million inlined calls a second make fresh only a word or two. (A new frame's
    /// registers, rarely that few, are filled directly: through this dispatch `fib` ran
    /// 0.4% more instructions.)
    #[inline(always)]
    pub(crate) fn reg_clear(&mut self, abs: usize, n: usize) {
        match n {
            8 => self.reg_clear_words::<8, 1>(abs),
            16 => self.reg_clear_words::<16, 2>(abs),
            24 => self.reg_clear_words::<24, 3>(abs),
            32 => self.reg_clear_words::<32, 4>(abs),
            _ => {
                self.reg_init[abs..abs + n].fill(0);
                self.reg_prov[abs / 8..(abs + n) / 8].fill(Prov::NONE);
            }
        }
    }

    /// `reg_clear` of `N` bytes, `W` words (`N` is `8 * W`; whatever `abs`, the words are
    /// `abs / 8 ..` and `W` of them).
    #[inline(always)]
    fn reg_clear_words<const N: usize, const W: usize>(&mut self, abs: usize) {
        self.reg_init[abs..abs + N].copy_from_slice(&[0; N]);
        self.reg_prov[abs / 8..abs / 8 + W].copy_from_slice(&[Prov::NONE; W]);
    }

    #[inline]
    pub(crate) fn reg_write(&mut self, abs: usize, size: usize, val: u128, prov: Prov) {
        if size == 8 && abs.is_multiple_of(8) {
            // The commonest write, a whole aligned word (a pointer, a `usize`): no `memset`.
            self.regs[abs..abs + 8].copy_from_slice(&(val as u64).to_le_bytes());
            self.reg_init[abs..abs + 8].copy_from_slice(&[1; 8]);
            self.reg_prov[abs / 8] = prov;
            return;
        }
        self.reg_write_general(abs, size, val, prov)
    }

    /// `reg_write` of any other size or alignment.
    #[inline(never)]
    fn reg_write_general(&mut self, abs: usize, size: usize, val: u128, prov: Prov) {
        self.reg_init[abs..abs + size].fill(1);
        match size {
            1 => self.regs[abs] = val as u8,
            2 => self.regs[abs..abs + 2].copy_from_slice(&(val as u16).to_le_bytes()),
            4 => self.regs[abs..abs + 4].copy_from_slice(&(val as u32).to_le_bytes()),
            8 => {
                self.regs[abs..abs + 8].copy_from_slice(&(val as u64).to_le_bytes());
                if abs.is_multiple_of(8) {
                    self.reg_prov[abs / 8] = prov;
                    return;
                }
            }
            _ => self.regs[abs..abs + size].copy_from_slice(&val.to_le_bytes()[..size]),
        }
        self.clear_reg_prov(abs, size);
        if prov.is_some() && size == 8 && abs.is_multiple_of(8) {
            self.reg_prov[abs / 8] = prov;
        }
    }

    /// `LoadReg`: copies `size` bytes (1, 2, 4 or 8) at `loc` into the register at `abs`
    /// (aligned to `size`) with their initialization and provenance.
    ///
    /// # Safety
    /// `abs..abs + size` is a register field's bytes in the running frame, and `size` is 1,
    /// 2, 4 or 8 (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn load_small_to_reg(&mut self, loc: Loc, abs: usize, size: u32) -> Res<()> {
        // (Registers holding fragments take the general copy.)
        let (Loc::Mem(p), true) = (loc, self.reg_frags.is_empty()) else {
            return self.copy_loc(loc, Loc::Reg(abs), size as u64);
        };
        match self.mem.read_small(p, size as u64)? {
            Ok((bytes, init, prov)) => {
                // SAFETY: the caller's guarantee for `size` bytes; the word of a byte inside
                // `regs` is inside `reg_prov`.
                unsafe {
                    let (r, i) = (&mut self.regs, &mut self.reg_init);
                    let (b, m) = (bytes.to_le_bytes(), init.to_ne_bytes());
                    match size {
                        1 => (set_frame_bytes(r, abs, [b[0]]), set_frame_bytes(i, abs, [m[0]])),
                        2 => (set_frame_bytes(r, abs, [b[0], b[1]]), set_frame_bytes(i, abs, [m[0], m[1]])),
                        4 => (set_frame_bytes(r, abs, [b[0], b[1], b[2], b[3]]), set_frame_bytes(i, abs, [m[0], m[1], m[2], m[3]])),
                        // (8: `check_register_bounds` refuses any other size for a `LoadReg`.)
                        _ => (set_frame_bytes(r, abs, b), set_frame_bytes(i, abs, m)),
                    };
                    // (A smaller value's word holds no whole pointer after it.)
                    set_frame_prov(&mut self.reg_prov, abs / 8, if size == 8 { prov } else { Prov::NONE });
                }
                Ok(())
            }
            // Fragments or part of a pointer: through the scratch buffer, not checked again.
            Err((id, off)) => {
                self.scratch.clear();
                self.scratch_init.clear();
                self.scratch_prov.clear();
                self.mem.read_checked_into(id, off, size as u64, &mut self.scratch, &mut self.scratch_init, &mut self.scratch_prov);
                self.store_scratch(Loc::Reg(abs))
            }
        }
    }

    /// Writes the first `size` bytes of a constant to the registers at `abs`.
    #[inline]
    pub(crate) fn const_to_regs(&mut self, cv: &ConstValue, abs: usize, size: usize) {
        if size == 8 && abs.is_multiple_of(8) {
            // A whole aligned word (no `memcpy`/`memset` of a run-time length).
            let (v, prov) = const_scalar(cv, 8);
            return self.reg_write(abs, 8, v, prov);
        }
        self.regs[abs..abs + size].copy_from_slice(&cv.bytes[..size]);
        self.reg_init[abs..abs + size].fill(1);
        let words = size.div_ceil(8);
        if abs.is_multiple_of(8) {
            self.reg_prov[abs / 8..abs / 8 + words].fill(Prov::NONE);
            for &(o, a) in cv.prov.iter() {
                if o % 8 == 0 {
                    self.reg_prov[(abs + o as usize) / 8] = Prov::base(a.0);
                }
            }
        } else {
            self.clear_reg_prov(abs, size);
        }
    }

    /// Reads an integer of `size` bytes (1, 2, 4 or 8) from a register aligned to its size
    /// (the typed register forms); its bytes must be initialized. Provenance is not read:
    /// integer operations ignore it.
    ///
    /// # Safety
    /// `abs..abs + size` is a register field's bytes in the running frame, and `size` is 1,
    /// 2, 4 or 8 (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn int_reg(&self, abs: usize, size: u8) -> Res<u64> {
        let (r, i) = (&self.regs, &self.reg_init);
        // SAFETY: the caller's guarantee; `reg_init` is as long as `regs`.
        let (v, init) = unsafe {
            match size {
                1 => (frame_bytes::<1>(r, abs)[0] as u64, frame_bytes::<1>(i, abs)[0] == 1),
                2 => (u16::from_le_bytes(frame_bytes(r, abs)) as u64, u16::from_ne_bytes(frame_bytes(i, abs)) == 0x0101),
                4 => (u32::from_le_bytes(frame_bytes(r, abs)) as u64, u32::from_ne_bytes(frame_bytes(i, abs)) == 0x0101_0101),
                // (8: `check_register_bounds` refuses any other size for a register form.)
                _ => (u64::from_le_bytes(frame_bytes(r, abs)), u64::from_ne_bytes(frame_bytes(i, abs)) == 0x0101_0101_0101_0101),
            }
        };
        if !init {
            return Err(uninit_error());
        }
        Ok(v)
    }

    /// Writes an integer of `size` bytes (1, 2, 4 or 8) to a register aligned to its size: it
    /// becomes initialized, and its word holds no pointer any more.
    ///
    /// # Safety
    /// `abs..abs + size` is a register field's bytes in the running frame, and `size` is 1,
    /// 2, 4 or 8 (register bounds).
    #[inline(always)]
    pub(crate) unsafe fn set_int_reg(&mut self, abs: usize, size: u8, v: u64) {
        let (r, i) = (&mut self.regs, &mut self.reg_init);
        // SAFETY: the caller's guarantee; `reg_init` is as long as `regs`.
        unsafe {
            match size {
                1 => {
                    set_frame_bytes(r, abs, [v as u8]);
                    set_frame_bytes(i, abs, [1u8]);
                }
                2 => {
                    set_frame_bytes(r, abs, (v as u16).to_le_bytes());
                    set_frame_bytes(i, abs, 0x0101u16.to_ne_bytes());
                }
                4 => {
                    set_frame_bytes(r, abs, (v as u32).to_le_bytes());
                    set_frame_bytes(i, abs, 0x0101_0101u32.to_ne_bytes());
                }
                // (8: `check_register_bounds` refuses any other size for a register form.)
                _ => {
                    set_frame_bytes(r, abs, v.to_le_bytes());
                    set_frame_bytes(i, abs, 0x0101_0101_0101_0101u64.to_ne_bytes());
                }
            }
        }
        if self.reg_frags.is_empty() {
            // SAFETY: the word of a byte inside `regs`.
            unsafe { set_frame_prov(&mut self.reg_prov, abs / 8, Prov::NONE) };
        } else {
            self.clear_reg_prov_frags(abs, size as usize);
        }
    }

    #[inline(always)]
    pub(crate) fn clear_reg_prov(&mut self, abs: usize, size: usize) {
        if size == 0 {
            return;
        }
        if !self.reg_frags.is_empty() {
            return self.clear_reg_prov_frags(abs, size);
        }
        for w in abs / 8..=(abs + size - 1) / 8 {
            self.reg_prov[w] = Prov::NONE;
        }
    }

    /// `clear_reg_prov` while some words may hold fragments.
    #[cold]
    #[inline(never)]
    fn clear_reg_prov_frags(&mut self, abs: usize, size: usize) {
        for w in abs / 8..=(abs + size - 1) / 8 {
            if self.reg_prov[w] == Prov::FRAGMENTS {
                self.clear_reg_frags(w, abs, size);
            } else {
                self.reg_prov[w] = Prov::NONE;
            }
        }
    }

    /// Word `w` holds fragments: drops those in `abs..abs + size`, keeping the others.
    #[cold]
    fn clear_reg_frags(&mut self, w: usize, abs: usize, size: usize) {
        self.reg_frags.retain(|&(a, _)| a / 8 != w || !(abs..abs + size).contains(&a));
        if !self.reg_frags.iter().any(|&(a, _)| a / 8 == w) {
            self.reg_prov[w] = Prov::NONE;
        }
    }

    /// Sets the provenance of register bytes `abs..abs + size` (already cleared) from `list`
    /// (offsets relative to `abs`). Whole pointers at aligned words are kept; fragments and
    /// unaligned pointers only in a local whose type holds a union (elsewhere a typed copy
    /// does not keep them).
    #[inline]
    pub(crate) fn regs_set_prov(&mut self, abs: usize, list: &[(u64, ProvPart)]) {
        if set_whole_words(&mut self.reg_prov, abs, list.iter().copied()) {
            for &(o, p) in list {
                let a = abs + o as usize;
                if p.as_whole().is_none() || !a.is_multiple_of(8) {
                    self.regs_set_frag(a, p);
                }
            }
        }
    }

    #[cold]
    fn regs_set_frag(&mut self, a: usize, p: ProvPart) {
        if !self.reg_holds_bytes(a) {
            return;
        }
        for k in 0..p.width() as usize {
            let b = a + k;
            let w = b / 8;
            if self.reg_prov[w] != Prov::FRAGMENTS {
                // The word's old entries are stale; a whole pointer there was cleared before.
                self.reg_frags.retain(|&(x, _)| x / 8 != w);
                self.reg_prov[w] = Prov::FRAGMENTS;
            }
            self.reg_frags.retain(|&(x, _)| x != b);
            self.reg_frags.push((b, p.byte(k as u64)));
            self.merge_reg_word(w);
        }
    }

    /// Word `w` holds fragments: if they are all eight of one pointer in order, it holds
    /// that pointer.
    fn merge_reg_word(&mut self, w: usize) {
        let mut parts: Vec<(u64, ProvPart)> = self.reg_frags.iter().filter(|e| e.0 / 8 == w).map(|&(x, f)| (x as u64, f)).collect();
        parts.sort_by_key(|e| e.0);
        if let Some(p) = prov_map::reassembled(&parts) {
            self.reg_frags.retain(|&(x, _)| x / 8 != w);
            self.reg_prov[w] = p;
        }
    }

    /// Whether register byte `abs` belongs to a local whose type holds a union (in the
    /// running frame, or a caller's when a value is returned to it).
    fn reg_holds_bytes(&self, abs: usize) -> bool {
        let Some(f) = self.stack.iter().rev().find(|f| f.base <= abs) else { return false };
        let off = (abs - f.base) as u32;
        f.func.byte_regs.iter().any(|&(s, n)| off >= s && off < s + n)
    }

    // ---- places ----

    #[inline(always)]
    pub(crate) fn eval_place(&mut self, pid: PlaceId) -> Res<PlaceVal> {
        if let Some((p, offset)) = self.thin_deref(pid) {
            return Ok(PlaceVal { loc: Loc::Mem(p.offset(offset as u64)), meta: None, deref: Some(p) });
        }
        self.eval_place_general(pid)
    }

    /// The commonest places, `*reg` and `(*reg).field` through a thin pointer held whole in
    /// an aligned register word: the pointer and the field's offset, at once, in the caller
    /// (`None` for anything else, or a pointer that is not such a word: the general path
    /// takes it, and reports). Callers on the hot path use the two as they are, rather than
    /// a `PlaceVal`, which the compiler builds in memory in parts and reads back whole (a
    /// store-forwarding stall).
    #[inline(always)]
    pub(crate) fn thin_deref(&self, pid: PlaceId) -> Option<(Ptr, u32)> {
        let frame = self.stack.last().unwrap();
        // (Told from `thin_places`, a table next to the places: the projections are a
        // separate allocation per place, often not in the cache.)
        let offset = frame.func.thin_places.get(pid as usize).copied().unwrap_or(vigil_ir::NOT_THIN);
        if offset >= vigil_ir::WIDE_DEREF {
            return None;
        }
        let PlaceBase::Reg(off) = frame.func.places[pid as usize].base;
        // SAFETY: the place's base register holds the pointer it dereferences, inside the
        // running frame (`vigil_ir::check_register_bounds` checks every place).
        unsafe { self.field_whole_ptr(frame.base + off as usize) }.map(|p| (p, offset))
    }

    /// `thin_deref`'s twin for a place `*reg` through a wide pointer: the pointer and its
    /// metadata, when both are initialized words without pointer fragments (`None` for any
    /// other place or value: the general path takes it, and reports).
    #[inline(always)]
    pub(crate) fn wide_deref(&self, pid: PlaceId) -> Option<(Ptr, Ptr)> {
        let frame = self.stack.last().unwrap();
        if frame.func.thin_places.get(pid as usize).copied() != Some(vigil_ir::WIDE_DEREF) {
            return None;
        }
        let PlaceBase::Reg(off) = frame.func.places[pid as usize].base;
        let abs = frame.base + off as usize;
        // SAFETY: the place's base register holds the wide pointer it dereferences, 16
        // bytes inside the running frame (`vigil_ir::check_register_bounds`).
        unsafe { Some((self.field_whole_ptr(abs)?, self.field_whole_ptr(abs + 8)?)) }
    }

    /// `eval_place` of any place, projection by projection.
    #[inline(never)]
    pub(crate) fn eval_place_general(&mut self, pid: PlaceId) -> Res<PlaceVal> {
        let func = self.stack.last().unwrap().func;
        let place = &func.places[pid as usize];
        let PlaceBase::Reg(off) = place.base;
        let mut loc = Loc::Reg(self.base() + off as usize);
        let mut meta: Option<(u64, Prov)> = None;
        let mut deref = None;
        for proj in place.projs.iter() {
            match *proj {
                Proj::Deref { fat } => {
                    let (addr, prov) = self.read_loc_scalar(loc, 8)?;
                    meta = if fat {
                        let (m, mp) = self.read_loc_scalar(loc.offset(8), 8)?;
                        Some((m as u64, mp))
                    } else {
                        None
                    };
                    loc = Loc::Mem(Ptr { addr: addr as u64, prov });
                    deref = Some(Ptr { addr: addr as u64, prov });
                }
                Proj::Field { offset, keep_meta } => {
                    loc = loc.offset(offset as u64);
                    if !keep_meta {
                        meta = None;
                    }
                }
                Proj::DynTail { offset, pack } => {
                    let (vt, vp) = meta.ok_or_else(|| Error::unsupported("dyn field without metadata"))?;
                    let (align, _) = self.mem.vtable_entry(Ptr { addr: vt, prov: vp }, 2)?;
                    let align = if pack != 0 { (align as u64).min(pack as u64) } else { align as u64 };
                    loc = loc.offset((offset as u64).next_multiple_of(align.max(1)));
                }
                Proj::Index { index, elem_size, len } => {
                    let (i, _) = self.read_operand_scalar(index, 8)?;
                    let len = len.or(meta.map(|m| m.0)).unwrap_or(u64::MAX);
                    if i as u64 >= len {
                        return Err(Error::ub(format!("indexing out of bounds: the len is {len} but the index is {i}")));
                    }
                    loc = loc.offset(i as u64 * elem_size as u64);
                    meta = None;
                }
                Proj::ConstIndex { offset, from_end, elem_size } => {
                    let len = meta.map(|m| m.0).unwrap_or(0);
                    let i = if from_end { len.wrapping_sub(offset) } else { offset };
                    loc = loc.offset(i * elem_size as u64);
                    meta = None;
                }
                Proj::Subslice { from, to, elem_size } => {
                    let (len, p) = meta.unwrap_or((0, Prov::NONE));
                    loc = loc.offset(from * elem_size as u64);
                    meta = Some((len.wrapping_sub(from).wrapping_sub(to), p));
                }
            }
        }
        Ok(PlaceVal { loc, meta, deref })
    }

    /// Where place `pid` of the current frame is: a plain register at once (inline), else
    /// through its projections.
    #[inline(always)]
    pub(crate) fn place_loc(&mut self, pid: PlaceId) -> Res<Loc> {
        match self.reg_place(pid) {
            Some(abs) => Ok(Loc::Reg(abs)),
            None => self.place_loc_projected(pid),
        }
    }

    /// The register place `pid` of the current frame is, if it is a plain register (no
    /// projections): its absolute register index.
    #[inline(always)]
    pub(crate) fn reg_place(&self, pid: PlaceId) -> Option<usize> {
        let frame = self.stack.last().unwrap();
        let place = &frame.func.places[pid as usize];
        let PlaceBase::Reg(off) = place.base;
        place.projs.is_empty().then_some(frame.base + off as usize)
    }

    /// `place_loc` of a place with projections.
    #[inline(never)]
    fn place_loc_projected(&mut self, pid: PlaceId) -> Res<Loc> {
        let place = &self.stack.last().unwrap().func.places[pid as usize];
        let loc = self.eval_place(pid)?.loc;
        if let Loc::Mem(p) = loc
            && place.align > 1
        {
            self.check_align(p, place.align as u64)?;
        }
        Ok(loc)
    }

    /// An access through `p` requires alignment `align`.
    pub(crate) fn check_align(&self, p: Ptr, align: u64) -> Res<()> {
        let have = self.ptr_align(p);
        if have < align {
            return Err(Error::ub(format!("accessing memory based on pointer with alignment {have}, but alignment {align} is required")));
        }
        Ok(())
    }

    /// The alignment `p` is known to have (from its address, or with symbolic alignment
    /// from its allocation and offset).
    pub(crate) fn ptr_align(&self, p: Ptr) -> u64 {
        self.mem.known_align(p)
    }

    // ---- scalars ----

    #[inline]
    pub(crate) fn read_loc_scalar(&self, loc: Loc, size: u64) -> Res<(u128, Prov)> {
        match loc {
            Loc::Reg(r) => self.reg_read(r, size as usize),
            Loc::Mem(p) => self.mem.read_scalar(p, size),
        }
    }

    #[inline]
    pub(crate) fn write_loc_scalar(&mut self, loc: Loc, size: u64, val: u128, prov: Prov) -> Res<()> {
        match loc {
            Loc::Reg(r) => {
                self.reg_write(r, size as usize, val, prov);
                Ok(())
            }
            Loc::Mem(p) => self.mem.write_scalar(p, size, val, prov),
        }
    }

    /// `read_operand_scalar` in the running frame, whose registers start at `base`: a
    /// register operand is read in line (a branch's condition, a switch's discriminant).
    #[inline(always)]
    pub(crate) fn operand_scalar_at(&mut self, base: usize, op: Operand, size: u32) -> Res<(u128, Prov)> {
        match op {
            Operand::Reg(off) => self.reg_read(base + off as usize, size as usize),
            _ => self.read_operand_scalar(op, size),
        }
    }

    #[inline]
    pub(crate) fn read_operand_scalar(&mut self, op: Operand, size: u32) -> Res<(u128, Prov)> {
        match op {
            Operand::Reg(off) => self.reg_read(self.base() + off as usize, size as usize),
            Operand::Const(c) => {
                let func = self.stack.last().unwrap().func;
                Ok(const_scalar(&func.consts[c as usize], size))
            }
            Operand::Place(pid) => {
                let loc = self.place_loc(pid)?;
                self.read_loc_scalar(loc, size as u64)
            }
        }
    }

    #[inline]
    pub(crate) fn write_place_scalar(&mut self, pid: PlaceId, size: u32, val: u128, prov: Prov) -> Res<()> {
        let loc = self.place_loc(pid)?;
        self.write_loc_scalar(loc, size as u64, val, prov)
    }

    pub(crate) fn read_ptr(&mut self, op: Operand) -> Res<Ptr> {
        let (a, p) = self.read_operand_scalar(op, 8)?;
        Ok(Ptr { addr: a as u64, prov: p })
    }

    // ---- bulk copies through the scratch buffer ----

    /// Loads `size` bytes of an operand into `self.scratch` (replacing its contents).
    pub(crate) fn load_operand(&mut self, op: Operand, size: u32) -> Res<()> {
        self.scratch.clear();
        self.scratch_init.clear();
        self.scratch_prov.clear();
        match op {
            Operand::Reg(off) => {
                let abs = self.base() + off as usize;
                self.load_regs(abs, size as usize);
            }
            Operand::Const(c) => {
                let func = self.stack.last().unwrap().func;
                let cv = &func.consts[c as usize];
                self.scratch.extend_from_slice(&cv.bytes[..size as usize]);
                self.scratch_init.resize(size as usize, 1);
                self.scratch_prov.extend(cv.prov.iter().map(|&(o, a)| (o as u64, ProvPart::whole(Prov::base(a.0)))));
            }
            Operand::Place(pid) => {
                let loc = self.place_loc(pid)?;
                self.load_loc(loc, size as u64)?;
            }
        }
        Ok(())
    }

    pub(crate) fn load_loc(&mut self, loc: Loc, size: u64) -> Res<()> {
        self.scratch.clear();
        self.scratch_init.clear();
        self.scratch_prov.clear();
        match loc {
            Loc::Reg(abs) => {
                self.load_regs(abs, size as usize);
                Ok(())
            }
            Loc::Mem(p) => self.mem.read_into(p, size, &mut self.scratch, &mut self.scratch_init, &mut self.scratch_prov, 0),
        }
    }

    pub(crate) fn load_regs(&mut self, abs: usize, size: usize) {
        self.scratch.extend_from_slice(&self.regs[abs..abs + size]);
        self.scratch_init.extend_from_slice(&self.reg_init[abs..abs + size]);
        regs_prov_into(&self.reg_prov, &self.reg_frags, abs, size, &mut self.scratch_prov, 0);
    }

    /// Stores `self.scratch` at `loc`.
    pub(crate) fn store_scratch(&mut self, loc: Loc) -> Res<()> {
        match loc {
            Loc::Reg(abs) => {
                let size = self.scratch.len();
                self.regs[abs..abs + size].copy_from_slice(&self.scratch);
                self.reg_init[abs..abs + size].copy_from_slice(&self.scratch_init);
                self.clear_reg_prov(abs, size);
                if set_whole_words(&mut self.reg_prov, abs, self.scratch_prov.iter().copied()) {
                    let list = std::mem::take(&mut self.scratch_prov);
                    self.regs_set_prov(abs, &list);
                    self.scratch_prov = list;
                }
                Ok(())
            }
            Loc::Mem(p) => self.mem.write_with_init(p, &self.scratch, Some(&self.scratch_init), &self.scratch_prov),
        }
    }

    /// Replaces the scratch buffer with initialized bytes.
    pub(crate) fn set_scratch(&mut self, bytes: &[u8]) {
        self.scratch.clear();
        self.scratch_init.clear();
        self.scratch_prov.clear();
        self.scratch.extend_from_slice(bytes);
        self.scratch_init.resize(bytes.len(), 1);
    }

    /// Copies `size` bytes from `src` to `dst`.
    pub(crate) fn copy_loc(&mut self, src: Loc, dst: Loc, size: u64) -> Res<()> {
        if let (Loc::Reg(s), Loc::Reg(d)) = (src, dst) {
            self.copy_regs(s, d, size as usize);
            return Ok(());
        }
        self.load_loc(src, size)?;
        self.store_scratch(dst)
    }

    /// Copies `size` register bytes from `s` to `d` with their initialization and provenance.
    #[inline(always)]
    pub(crate) fn copy_regs(&mut self, s: usize, d: usize, size: usize) {
        assert!(s.max(d) + size <= self.regs.len(), "register copy outside the register file");
        // SAFETY: checked just above; `reg_init` is as long as `regs`, `reg_prov` has a word
        // for every 8 of their bytes.
        unsafe { self.copy_field_regs(s, d, size) }
    }

    /// `copy_regs` between two register fields. One aligned word or a smaller aligned
    /// integer is copied here, inline and without bounds checks; the rest out of line.
    ///
    /// # Safety
    /// `s..s + size` and `d..d + size` lie inside the register file (register bounds: both
    /// are register fields' bytes in the running frame).
    #[inline(always)]
    pub(crate) unsafe fn copy_field_regs(&mut self, s: usize, d: usize, size: usize) {
        // SAFETY (every access below): the caller's guarantee for `size` bytes; a word
        // index `x / 8` of a byte `x` inside `regs` is inside `reg_prov`.
        if size == 8 && s.is_multiple_of(8) && d.is_multiple_of(8) {
            let p = unsafe { frame_prov(&self.reg_prov, s / 8) };
            if p != Prov::FRAGMENTS {
                // The common case: one aligned word, without calling memmove.
                unsafe {
                    let w: [u8; 8] = frame_bytes(&self.regs, s);
                    set_frame_bytes(&mut self.regs, d, w);
                    let i: [u8; 8] = frame_bytes(&self.reg_init, s);
                    set_frame_bytes(&mut self.reg_init, d, i);
                    set_frame_prov(&mut self.reg_prov, d / 8, p);
                }
                return;
            }
        }
        if size == 16 && s.is_multiple_of(8) && d.is_multiple_of(8) && self.reg_frags.is_empty() {
            // Two aligned words (a wide pointer, a pair of `usize`s), read before they are
            // written.
            unsafe {
                let (w, n): ([u8; 16], [u8; 16]) = (frame_bytes(&self.regs, s), frame_bytes(&self.reg_init, s));
                let p = [frame_prov(&self.reg_prov, s / 8), frame_prov(&self.reg_prov, s / 8 + 1)];
                set_frame_bytes(&mut self.regs, d, w);
                set_frame_bytes(&mut self.reg_init, d, n);
                set_frame_prov(&mut self.reg_prov, d / 8, p[0]);
                set_frame_prov(&mut self.reg_prov, d / 8 + 1, p[1]);
            }
            return;
        }
        if size == 4 && s.is_multiple_of(4) && d.is_multiple_of(4) && self.reg_frags.is_empty() {
            // SAFETY: the caller's guarantee.
            return unsafe { self.copy_int_regs::<4>(s, d) };
        }
        if size == 1 && self.reg_frags.is_empty() {
            // (A `bool`, a `u8`, an enum's tag.)
            // SAFETY: the caller's guarantee.
            return unsafe { self.copy_int_regs::<1>(s, d) };
        }
        self.copy_regs_general(s, d, size)
    }

    /// `copy_field_regs` of an `N`-byte integer aligned to `N` (no fragments about): inside
    /// one word, which holds no whole pointer after it.
    ///
    /// # Safety
    /// As `copy_field_regs`, for `N` bytes.
    #[inline(always)]
    unsafe fn copy_int_regs<const N: usize>(&mut self, s: usize, d: usize) {
        // SAFETY: the caller's guarantee; a word index `x / 8` of a byte `x` inside `regs` is
        // inside `reg_prov`.
        unsafe {
            let w: [u8; N] = frame_bytes(&self.regs, s);
            set_frame_bytes(&mut self.regs, d, w);
            let i: [u8; N] = frame_bytes(&self.reg_init, s);
            set_frame_bytes(&mut self.reg_init, d, i);
            set_frame_prov(&mut self.reg_prov, d / 8, Prov::NONE);
        }
    }

    /// `copy_regs` for every other size and alignment.
    #[inline(never)]
    fn copy_regs_general(&mut self, s: usize, d: usize, size: usize) {
        if size == 0 {
            return;
        }
        // Words holding fragments exist only while `reg_frags` is not empty.
        if !self.reg_frags.is_empty() {
            return self.copy_regs_with_prov(s, d, size);
        }
        if matches!(size, 1 | 2 | 4) && s.is_multiple_of(size) && d.is_multiple_of(size) {
            // A small aligned integer: inside one word, which holds no whole pointer after it.
            let (r, i) = (&mut self.regs, &mut self.reg_init);
            match size {
                1 => {
                    r[d] = r[s];
                    i[d] = i[s];
                }
                2 => {
                    let (w, n): ([u8; 2], [u8; 2]) = (r[s..s + 2].try_into().unwrap(), i[s..s + 2].try_into().unwrap());
                    r[d..d + 2].copy_from_slice(&w);
                    i[d..d + 2].copy_from_slice(&n);
                }
                _ => {
                    let (w, n): ([u8; 4], [u8; 4]) = (r[s..s + 4].try_into().unwrap(), i[s..s + 4].try_into().unwrap());
                    r[d..d + 4].copy_from_slice(&w);
                    i[d..d + 4].copy_from_slice(&n);
                }
            }
            self.reg_prov[d / 8] = Prov::NONE;
            return;
        }
        // (Two aligned words, without fragments, were copied by `copy_regs`.)
        if size <= 8 && (s + size <= d || d + size <= s) {
            // (Part of a pointer only comes out of a union: the lowering moves those with
            // `Inst::Move`.)
            for k in 0..size {
                self.regs[d + k] = self.regs[s + k];
                self.reg_init[d + k] = self.reg_init[s + k];
            }
            self.clear_reg_prov(d, size);
            return;
        }
        self.regs.copy_within(s..s + size, d);
        self.reg_init.copy_within(s..s + size, d);
        if s.is_multiple_of(8) && d.is_multiple_of(8) {
            let words = size.div_ceil(8);
            self.reg_prov.copy_within(s / 8..s / 8 + words, d / 8);
            if !size.is_multiple_of(8) {
                self.reg_prov[d / 8 + words - 1] = Prov::NONE;
            }
        } else {
            self.clear_reg_prov(d, size);
        }
    }

    /// A register copy that moves provenance other than whole pointers in aligned words.
    #[cold]
    #[inline(never)]
    fn copy_regs_with_prov(&mut self, s: usize, d: usize, size: usize) {
        if !self.reg_frags.is_empty() {
            // Forget stale entries (their words were overwritten whole), so that the fast
            // paths come back once no word holds fragments.
            let reg_prov = &self.reg_prov;
            self.reg_frags.retain(|&(a, _)| reg_prov.get(a / 8) == Some(&Prov::FRAGMENTS));
        }
        let mut list = Vec::new();
        regs_prov_into(&self.reg_prov, &self.reg_frags, s, size, &mut list, 0);
        self.regs.copy_within(s..s + size, d);
        self.reg_init.copy_within(s..s + size, d);
        self.clear_reg_prov(d, size);
        self.regs_set_prov(d, &list);
    }
}

/// Appends the provenance of register bytes `abs..abs + size` to `out` (offsets relative to
/// `abs`, moved by `out_base`): whole pointers of words inside the range, fragments for
/// pointers the range cuts through and for fragments held in the registers. A free
/// function so that `out` may be one of the machine's own buffers.
#[inline(always)]
pub(crate) fn regs_prov_into(
    reg_prov: &[Prov],
    reg_frags: &[(usize, ProvPart)],
    abs: usize,
    size: usize,
    out: &mut ProvList,
    out_base: u64,
) {
    if size == 0 {
        return;
    }
    let w0 = abs / 8;
    if w0 == (abs + size - 1) / 8 {
        // One word (every naturally aligned scalar).
        let p = reg_prov[w0];
        if p.is_none() {
            return;
        }
        if size == 8 && p != Prov::FRAGMENTS {
            out.push((out_base, ProvPart::whole(p)));
            return;
        }
        return regs_prov_into_slow(reg_prov, reg_frags, abs, size, out, out_base);
    }
    if reg_frags.is_empty() && abs.is_multiple_of(8) && size.is_multiple_of(8) {
        // Whole words, none holding fragments.
        for (i, &p) in reg_prov[w0..w0 + size / 8].iter().enumerate() {
            if p.is_some() {
                out.push(((i * 8) as u64 + out_base, ProvPart::whole(p)));
            }
        }
        return;
    }
    if reg_prov[w0..=(abs + size - 1) / 8].iter().all(|p| p.is_none()) {
        return;
    }
    regs_prov_into_slow(reg_prov, reg_frags, abs, size, out, out_base);
}

/// Sets the provenance words of the whole, aligned pointers among `parts` (offsets relative
/// to `abs`); true if other parts (fragments, unaligned pointers) remain to be placed.
#[inline]
pub(crate) fn set_whole_words(reg_prov: &mut [Prov], abs: usize, parts: impl Iterator<Item = (u64, ProvPart)>) -> bool {
    let mut rest = false;
    for (o, p) in parts {
        let a = abs + o as usize;
        match p.as_whole() {
            Some(w) if a.is_multiple_of(8) => reg_prov[a / 8] = w,
            _ => rest = true,
        }
    }
    rest
}

#[cold]
fn regs_prov_into_slow(reg_prov: &[Prov], reg_frags: &[(usize, ProvPart)], abs: usize, size: usize, out: &mut ProvList, out_base: u64) {
    let end = abs + size;
    let mut word_frags: Vec<(usize, ProvPart)> = Vec::new();
    let w0 = abs / 8;
    for (w, &p) in reg_prov[w0..=(end - 1) / 8].iter().enumerate().map(|(i, p)| (w0 + i, p)) {
        if p.is_none() {
            continue;
        }
        if p == Prov::FRAGMENTS {
            word_frags.clear();
            word_frags.extend(reg_frags.iter().filter(|&&(a, _)| a / 8 == w && a >= abs && a < end));
            word_frags.sort_by_key(|e| e.0);
            out.extend(word_frags.iter().map(|&(a, f)| ((a - abs) as u64 + out_base, f)));
            continue;
        }
        let ws = w * 8;
        if ws >= abs && ws + 8 <= end {
            out.push(((ws - abs) as u64 + out_base, ProvPart::whole(p)));
        } else {
            prov_map::slice_into(&[(ws as u64, ProvPart::whole(p))], abs as u64, end as u64, out, out_base);
        }
    }
}

pub(crate) fn const_scalar(cv: &ConstValue, size: u32) -> (u128, Prov) {
    if size == 8 {
        // A pointer or a `u64` (no `memcpy` of a run-time length).
        let v = u64::from_le_bytes(cv.bytes[..8].try_into().unwrap());
        return (v as u128, cv.prov.first().filter(|(o, _)| *o == 0).map_or(Prov::NONE, |(_, a)| Prov::base(a.0)));
    }
    let mut buf = [0u8; 16];
    buf[..size as usize].copy_from_slice(&cv.bytes[..size as usize]);
    let prov =
        if size == 8 { cv.prov.first().filter(|(o, _)| *o == 0).map(|(_, a)| Prov::base(a.0)).unwrap_or(Prov::NONE) } else { Prov::NONE };
    (u128::from_le_bytes(buf), prov)
}

/// Reading uninitialized register bytes as a value (cold: built only when it happens).
#[cold]
#[inline(never)]
fn uninit_error() -> Error {
    Error::ub(UNINIT)
}
