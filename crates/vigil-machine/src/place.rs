//! Place evaluation and moving bytes (with provenance) between registers and memory.

use vigil_ir::{ConstValue, Operand, PlaceBase, PlaceId, Proj};

use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr, UNINIT, all_init};
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

impl Machine<'_> {
    #[inline]
    pub(crate) fn base(&self) -> usize {
        // The stack is never empty while instructions run.
        self.stack.last().map(|f| f.base).unwrap_or(0)
    }

    // ---- registers ----

    /// Reads a scalar from the registers; its bytes must be initialized.
    #[inline]
    pub(crate) fn reg_read(&self, abs: usize, size: usize) -> Res<(u128, Prov)> {
        let init = &self.reg_init[abs..abs + size];
        let ok = if size == 8 { u64::from_ne_bytes(init.try_into().unwrap()) == 0x0101_0101_0101_0101 } else { all_init(init) };
        if !ok {
            return Err(Error::ub(UNINIT));
        }
        Ok(self.reg_read_raw(abs, size))
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
                return (v, prov);
            }
            _ => {
                let mut buf = [0u8; 16];
                buf[..size].copy_from_slice(r);
                u128::from_le_bytes(buf)
            }
        };
        (v, Prov::NONE)
    }

    #[inline]
    pub(crate) fn reg_write(&mut self, abs: usize, size: usize, val: u128, prov: Prov) {
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

    #[inline]
    fn clear_reg_prov(&mut self, abs: usize, size: usize) {
        if size == 0 {
            return;
        }
        for w in abs / 8..=(abs + size - 1) / 8 {
            self.reg_prov[w] = Prov::NONE;
        }
    }

    // ---- places ----

    pub(crate) fn eval_place(&mut self, pid: PlaceId) -> Res<PlaceVal> {
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

    #[inline]
    pub(crate) fn place_loc(&mut self, pid: PlaceId) -> Res<Loc> {
        let func = self.stack.last().unwrap().func;
        let place = &func.places[pid as usize];
        if place.projs.is_empty() {
            let PlaceBase::Reg(off) = place.base;
            return Ok(Loc::Reg(self.base() + off as usize));
        }
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
                self.scratch_prov.extend(cv.prov.iter().map(|&(o, a)| (o as u64, Prov::base(a.0))));
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
        if abs.is_multiple_of(8) {
            let mut w = 0;
            while w + 8 <= size {
                let p = self.reg_prov[(abs + w) / 8];
                if p.is_some() {
                    self.scratch_prov.push((w as u64, p));
                }
                w += 8;
            }
        }
    }

    /// Stores `self.scratch` at `loc`.
    pub(crate) fn store_scratch(&mut self, loc: Loc) -> Res<()> {
        match loc {
            Loc::Reg(abs) => {
                let size = self.scratch.len();
                self.regs[abs..abs + size].copy_from_slice(&self.scratch);
                self.reg_init[abs..abs + size].copy_from_slice(&self.scratch_init);
                self.clear_reg_prov(abs, size);
                for &(o, p) in &self.scratch_prov {
                    let a = abs + o as usize;
                    if a.is_multiple_of(8) {
                        self.reg_prov[a / 8] = p;
                    }
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

    #[inline]
    pub(crate) fn copy_regs(&mut self, s: usize, d: usize, size: usize) {
        if size == 8 && s.is_multiple_of(8) && d.is_multiple_of(8) {
            // The common case: one aligned word, without calling memmove.
            let w: [u8; 8] = self.regs[s..s + 8].try_into().unwrap();
            self.regs[d..d + 8].copy_from_slice(&w);
            let i: [u8; 8] = self.reg_init[s..s + 8].try_into().unwrap();
            self.reg_init[d..d + 8].copy_from_slice(&i);
            self.reg_prov[d / 8] = self.reg_prov[s / 8];
            return;
        }
        if size <= 8 && (s + size <= d || d + size <= s) {
            for k in 0..size {
                self.regs[d + k] = self.regs[s + k];
                self.reg_init[d + k] = self.reg_init[s + k];
            }
            self.clear_reg_prov(d, size);
            return;
        }
        if size == 0 {
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
}

pub(crate) fn const_scalar(cv: &ConstValue, size: u32) -> (u128, Prov) {
    let mut buf = [0u8; 16];
    buf[..size as usize].copy_from_slice(&cv.bytes[..size as usize]);
    let prov =
        if size == 8 { cv.prov.first().filter(|(o, _)| *o == 0).map(|(_, a)| Prov::base(a.0)).unwrap_or(Prov::NONE) } else { Prov::NONE };
    (u128::from_le_bytes(buf), prov)
}
