//! Function pointers and vtables: the allocations that stand for functions (several per
//! function that codegen may duplicate), the copies of vtables, and what a pointer to them
//! names.

use vigil_ir::FnId;

use super::{ADDRS_PER_DUPLICABLE, ANY_TRAIT, AllocKind, Memory, Prov, Ptr, fmt_ptr};
use crate::error::{Error, Res};

impl Memory {
    /// The unique address of a function, usable as a fn pointer.
    pub fn fn_ptr(&mut self, f: FnId) -> Ptr {
        if let Some(&id) = self.fn_allocs.get(&f) {
            return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
        }
        let ptr = self.allocate(0, 16, AllocKind::Function(f));
        self.allocs[ptr.prov.alloc as usize].mutable = false;
        self.fn_allocs.insert(f, ptr.prov.alloc);
        ptr
    }

    /// One of `ADDRS_PER_DUPLICABLE` addresses of `f` (salt 0 is `fn_ptr(f)`): a function that
    /// codegen may duplicate (generic, or inlinable) has no unique address.
    pub fn fn_ptr_salted(&mut self, f: FnId, salt: u32) -> Ptr {
        if salt == 0 {
            return self.fn_ptr(f);
        }
        let i = f.0 as usize;
        if self.fn_salts.len() <= i {
            self.fn_salts.resize_with(i + 1, || None);
        }
        let id = self.fn_salts[i].as_ref().map_or(0, |t| t[salt as usize]);
        if id != 0 {
            return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
        }
        let ptr = self.allocate(0, 16, AllocKind::Function(f));
        self.allocs[ptr.prov.alloc as usize].mutable = false;
        self.fn_salts[i].get_or_insert_with(|| Box::new([0; ADDRS_PER_DUPLICABLE as usize]))[salt as usize] = ptr.prov.alloc;
        ptr
    }

    /// One of `ADDRS_PER_DUPLICABLE` copies of the vtable `vt` (salt 0 is `vt` itself): a
    /// vtable has no unique address either.
    pub fn vtable_salted(&mut self, vt: Ptr, salt: u32) -> Ptr {
        if salt == 0 || vt.prov.alloc == 0 {
            return vt;
        }
        let table = self.allocs[vt.prov.alloc as usize].salts;
        if table != 0 {
            let id = self.vtable_salts[table as usize - 1][salt as usize];
            if id != 0 {
                return Ptr { addr: self.allocs[id as usize].base, prov: Prov::base(id) };
            }
        }
        let a = &self.allocs[vt.prov.alloc as usize];
        let (bytes, prov, align, trait_id) = (a.bytes.clone(), a.prov.clone(), a.align, a.vtable_trait);
        let copy = self.allocate_with(&bytes, &prov, align, AllocKind::Global, false);
        self.allocs[copy.prov.alloc as usize].vtable_trait = trait_id;
        let table = if table != 0 {
            table
        } else {
            self.vtable_salts.push([0; ADDRS_PER_DUPLICABLE as usize]);
            let t = self.vtable_salts.len() as u32;
            self.allocs[vt.prov.alloc as usize].salts = t;
            t
        };
        self.vtable_salts[table as usize - 1][salt as usize] = copy.prov.alloc;
        copy
    }

    /// The function whose address `ptr` is derived from (any offset).
    pub fn fn_of_derived_ptr(&self, ptr: Ptr) -> Option<(FnId, u64)> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.is_some())?;
        match a.kind {
            AllocKind::Function(f) => Some((f, ptr.addr.wrapping_sub(a.base))),
            _ => None,
        }
    }

    /// The function a fn pointer points to.
    pub fn fn_of_ptr(&self, ptr: Ptr) -> Res<FnId> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.is_some());
        match a {
            Some(a) if a.base == ptr.addr => match a.kind {
                AllocKind::Function(f) => Ok(f),
                _ => Err(Error::ub(format!("using {} as function pointer but it does not point to a function", fmt_ptr(ptr)))),
            },
            _ => Err(Error::ub(format!("using {} as function pointer but it does not point to a function", fmt_ptr(ptr)))),
        }
    }

    /// Records that allocation `id` is a vtable made for trait `trait_id`. A vtable the
    /// compiler shares between traits (identical contents) stands for any trait
    /// (`ANY_TRAIT`).
    pub fn mark_vtable(&mut self, id: u32, trait_id: u32) {
        if let Some(a) = self.allocs.get_mut(id as usize) {
            a.vtable_trait = if a.vtable_trait == 0 || a.vtable_trait == trait_id { trait_id } else { ANY_TRAIT };
        }
    }

    /// Records that allocation `id` is a vtable of a trait not known here (a supertrait's
    /// vtable another vtable points to), unless it is known already.
    pub fn mark_vtable_any(&mut self, id: u32) {
        if let Some(a) = self.allocs.get_mut(id as usize)
            && a.vtable_trait == 0
        {
            a.vtable_trait = ANY_TRAIT;
        }
    }

    /// The trait of the vtable `ptr` points to (at its start), or `None` when it points to
    /// no live vtable.
    pub fn vtable_trait_of(&self, ptr: Ptr) -> Option<u32> {
        let a = self.allocs.get(ptr.prov.alloc as usize).filter(|_| ptr.prov.alloc != 0)?;
        (a.live && a.vtable_trait != 0 && a.base == ptr.addr).then_some(a.vtable_trait)
    }

    /// Reads an integer of `size` bytes (little endian) with its provenance.
    #[inline]
    /// Word `index` of the vtable `vt` points to (the machine's own read: the aliasing
    /// models do not track it, so a vtable pointer's borrow tag does not matter).
    pub fn vtable_entry(&self, vt: Ptr, index: u64) -> Res<(u128, Prov)> {
        let untracked = if vt.prov.is_some() { Prov::base(vt.prov.alloc) } else { vt.prov };
        self.read_scalar(Ptr { addr: vt.addr, prov: untracked }.offset(index * 8), 8)
    }
}
