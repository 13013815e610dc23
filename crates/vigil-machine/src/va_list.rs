//! C-variadic functions defined in Rust (`unsafe extern "C" fn f(x: i32, args: ...)`): the
//! arguments passed after the fixed ones become a pack in machine memory, and the callee's
//! `VaList` parameter is a cursor into it (`va_arg` reads the next one, `va_copy` makes an
//! independent cursor, `va_end` ends one; the pack is freed when the last cursor ends).
//!
//! The `VaList` keeps the x86-64 layout (`gp_offset`, `fp_offset`, `overflow_arg_area`,
//! `reg_save_area`): every argument is in the overflow area (8-byte slots), the register
//! offsets say the registers are used up, and `reg_save_area` holds the end of the pack.

use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::{Loc, Machine};

/// Where the cursor and the end of the pack are in a `VaList`.
const CURSOR: u64 = 8;
const END: u64 = 16;
const VA_LIST_SIZE: u64 = 24;

impl Machine<'_> {
    /// Before entering a C-variadic function with `fixed` fixed parameters: the arguments
    /// after them (in `self.args`) are packed into memory and replaced by the `VaList`.
    #[cold]
    pub(crate) fn pack_varargs(&mut self, fixed: usize) -> Res<()> {
        if self.arg_ranges.len() < fixed {
            return Ok(()); // too few arguments: the call reports it
        }
        let (mut bytes, mut init, mut prov) = (Vec::new(), Vec::new(), Vec::new());
        for &(start, len) in &self.arg_ranges[fixed..] {
            let (s, e) = (start as usize, (start + len) as usize);
            let at = bytes.len() as u64;
            bytes.extend_from_slice(&self.args[s..e]);
            init.extend_from_slice(&self.args_init[s..e]);
            crate::prov_map::slice_into(&self.args_prov, s as u64, e as u64, &mut prov, at);
            let slot = bytes.len().next_multiple_of(8);
            bytes.resize(slot, 0);
            init.resize(slot, 0);
        }
        let pack = self.mem.allocate_uninit(bytes.len() as u64, 8, AllocKind::Machine);
        self.mem.write_with_init(pack, &bytes, Some(&init), &prov)?;
        self.va_lists.insert(pack.prov.alloc, 1);
        // The fixed arguments stay; the `VaList` takes the place of the rest.
        let keep = self.arg_ranges.get(fixed).map_or(self.args.len(), |r| r.0 as usize);
        self.args.truncate(keep);
        self.args_init.truncate(keep);
        self.args_prov.retain(|&(o, p)| o + p.width() <= keep as u64);
        self.arg_ranges.truncate(fixed);
        let end = pack.offset(bytes.len() as u64);
        let start = self.args.len() as u64;
        self.args.extend_from_slice(&48u32.to_le_bytes());
        self.args.extend_from_slice(&304u32.to_le_bytes());
        self.args.extend_from_slice(&pack.addr.to_le_bytes());
        self.args.extend_from_slice(&end.addr.to_le_bytes());
        self.args_init.resize(self.args.len(), 1);
        self.args_prov.push((start + CURSOR, crate::prov_map::ProvPart::whole(pack.prov)));
        self.args_prov.push((start + END, crate::prov_map::ProvPart::whole(end.prov)));
        self.arg_ranges.push((start as u32, VA_LIST_SIZE as u32));
        Ok(())
    }

    /// `va_arg::<T>(ap)` for a `T` of `size` bytes: the next argument, read as a `T`.
    pub(crate) fn va_arg(&mut self, dst: Loc, size: u32) -> Res<()> {
        let ap = self.arg_ptr(0);
        let (c, cp) = self.read_loc_scalar(Loc::Mem(ap.offset(CURSOR)), 8)?;
        let (e, _) = self.read_loc_scalar(Loc::Mem(ap.offset(END)), 8)?;
        let cursor = Ptr { addr: c as u64, prov: cp };
        if cursor.addr >= e as u64 {
            return Err(Error::ub("more C-variadic arguments read than were passed"));
        }
        self.load_loc(Loc::Mem(cursor), size as u64)?;
        self.store_scratch(dst)?;
        let next = cursor.offset((size as u64).next_multiple_of(8));
        self.write_loc_scalar(Loc::Mem(ap.offset(CURSOR)), 8, next.addr as u128, next.prov)
    }

    /// `va_copy(src)`: another cursor at the same position (the pack lives on until it ends).
    pub(crate) fn va_copy(&mut self, dst: Loc) -> Res<()> {
        let src = self.arg_ptr(0);
        self.load_loc(Loc::Mem(src), VA_LIST_SIZE)?;
        let pack = crate::prov_map::whole_at(&self.scratch_prov, END);
        if let Some(n) = self.va_lists.get_mut(&pack.alloc) {
            *n += 1;
        }
        self.store_scratch(dst)
    }

    /// `va_end(ap)`: this cursor is done; the last one frees the pack.
    pub(crate) fn va_end(&mut self) -> Res<()> {
        let ap = self.arg_ptr(0);
        let (_, pack) = self.read_loc_scalar(Loc::Mem(ap.offset(END)), 8)?;
        if let Some(n) = self.va_lists.get_mut(&pack.alloc) {
            *n -= 1;
            if *n == 0 {
                self.va_lists.remove(&pack.alloc);
                let base = Ptr { addr: self.mem.get(pack).base, prov: Prov::base(pack.alloc) };
                self.mem.deallocate(base, None, AllocKind::Machine)?;
            }
        }
        Ok(())
    }
}
