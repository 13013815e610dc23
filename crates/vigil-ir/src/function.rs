//! A lowered function: frame layout, parameters and the instruction array.

use crate::{ConstValue, Inst, Place, SpanId};

/// Where a MIR local lives during execution.
#[derive(Clone, Copy, Debug)]
pub enum LocalSlot {
    /// In the frame's register bytes at this offset; its address is never taken.
    Reg { off: u32 },
    /// In its own allocation (its address is taken or it needs a drop through a pointer);
    /// the frame's register bytes at `ptr_off` hold the pointer to it while it is live.
    Mem { ptr_off: u32, size: u32, align: u32 },
}

/// Where an incoming argument is written in the callee's frame.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub local: u32,
    /// Byte offset inside the local (non-zero when a "rust-call" tuple is re-assembled).
    pub offset: u32,
    pub size: u32,
}

#[derive(Debug)]
pub struct Function {
    /// Bytes of register storage the frame needs.
    pub frame_size: u32,
    pub locals: Vec<LocalSlot>,
    /// Memory-backed locals without storage markers: allocated at entry, freed at exit.
    pub always_live: Vec<u32>,
    /// Memory-backed locals that have storage markers: freed at exit if still live.
    pub storage_managed: Vec<u32>,
    pub params: Vec<Param>,
    /// Register offset of the hidden caller-location argument of `#[track_caller]` functions.
    pub caller_location: Option<u32>,
    /// Place of local 0 and its size.
    pub ret_place: Place,
    pub ret_size: u32,
    pub code: Vec<Inst>,
    /// Source span of each instruction (same index as `code`).
    pub spans: Vec<SpanId>,
    pub places: Vec<Place>,
    pub consts: Vec<ConstValue>,
    /// The signature a fn pointer to this function is called with (set by the frontend).
    pub sig: crate::SigId,
    /// A C-variadic function defined in Rust (`...`): its last parameter is the `VaList`
    /// the machine builds from the arguments passed after the fixed ones.
    pub c_variadic: bool,
    /// Register ranges `(offset, size)` of the locals whose type holds a union: pointer
    /// fragments and unaligned pointers copied there keep their provenance (a typed copy
    /// into any other local keeps only whole pointers in aligned words).
    pub byte_regs: Box<[(u32, u32)]>,
    /// The code of inlined calls (`inline.rs`), in code order: empty as the frontend makes
    /// a function; the machine's inlining fills it.
    pub inlined: Box<[crate::Inlined]>,
    /// The span each instruction stands at as the program's current point in the user's
    /// code (`site_spans`): empty, the same as `spans`, but in a function of the user's
    /// crate with inlined callees of other crates, whose code stands at its call's span
    /// there, as it would with the callee's own frame running (the machine fills it in).
    pub site_spans: Box<[SpanId]>,
    /// Per place, the field offset of a place `*reg` or `(*reg).field` through a thin
    /// pointer (0 for `*reg`), `WIDE_DEREF` for `*reg` through a wide one, else
    /// `NOT_THIN`: the interpreter's commonest places, told apart without loading the
    /// place's projections (`seal_code` fills it in).
    pub thin_places: Box<[u32]>,
}

/// `Function::thin_places` of a place that is not a thin dereference.
pub const NOT_THIN: u32 = u32::MAX;

/// `Function::thin_places` of a place `*reg` through a wide pointer (a slice's, a `str`'s,
/// a trait object's): no thin dereference either, but the commonest place a reference is
/// taken of (a reborrow `&*r`).
pub const WIDE_DEREF: u32 = u32::MAX - 1;

impl Function {
    /// The function in text (`-Zvigil-dump-ir`): frame, locals, places, constants, then one
    /// line per instruction with its index.
    pub fn print(&self, name: &str) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "fn {name}: frame {} bytes, {} instructions", self.frame_size, self.code.len());
        for (i, slot) in self.locals.iter().enumerate() {
            let _ = writeln!(out, "  local _{i}: {slot:?}");
        }
        for p in &self.params {
            let _ = writeln!(out, "  param _{} +{} ({} bytes)", p.local, p.offset, p.size);
        }
        for (i, p) in self.places.iter().enumerate() {
            let crate::PlaceBase::Reg(off) = p.base;
            let _ = writeln!(out, "  place p{i}: r{off} {:?} align {}", p.projs, p.align);
        }
        for (i, c) in self.consts.iter().enumerate() {
            let _ = writeln!(out, "  const c{i}: {:02x?} prov {:?}", c.bytes, c.prov);
        }
        for r in self.inlined.iter() {
            let _ = writeln!(out, "  inlined @{}..@{}: fn#{} called at @{}", r.start, r.end, r.callee.0, r.call);
        }
        for (i, inst) in self.code.iter().enumerate() {
            let _ = write!(out, "  {i:4}: ");
            inst.print(&mut out);
            out.push('\n');
        }
        out
    }

    /// Per instruction, the span it stands at as the current point in the user's code,
    /// which tag histories, allocation sites and race reports name (the field
    /// `site_spans` where filled in, else `spans`).
    #[inline]
    pub fn site_spans(&self) -> &[SpanId] {
        if self.site_spans.is_empty() { &self.spans } else { &self.site_spans }
    }

    /// Removes the instructions whose `dead` entry is set, with their spans: jump targets
    /// and inlined ranges are renumbered (a removed target becomes the instruction that
    /// followed it). Neither an inlined call's `InlineEnter` nor the code's end may be removed.
    pub(crate) fn remove_code(&mut self, dead: &[bool]) {
        debug_assert_eq!(dead.len(), self.code.len());
        // The new index of each old one, and of the old end.
        let mut new_index = Vec::with_capacity(dead.len() + 1);
        let mut kept = 0u32;
        for &d in dead {
            new_index.push(kept);
            kept += !d as u32;
        }
        new_index.push(kept);
        let mut keep = dead.iter().map(|&d| !d);
        self.code.retain(|_| keep.next().unwrap_or(true));
        let mut keep = dead.iter().map(|&d| !d);
        self.spans.retain(|_| keep.next().unwrap_or(true));
        for inst in &mut self.code {
            inst.for_each_target(&mut |l| l.0 = new_index[l.0 as usize]);
        }
        for r in self.inlined.iter_mut() {
            debug_assert!(!dead[r.call as usize]);
            (r.start, r.end, r.call) = (new_index[r.start as usize], new_index[r.end as usize], new_index[r.call as usize]);
        }
    }
}

#[cfg(test)]
impl Function {
    /// `code` in a frame of `frame_size` bytes and nothing else (no locals, parameters,
    /// places or constants; span 0 everywhere): what tests start from and fill in.
    pub(crate) fn bare(frame_size: u32, code: Vec<Inst>) -> Function {
        Function {
            frame_size,
            locals: Vec::new(),
            always_live: Vec::new(),
            storage_managed: Vec::new(),
            params: Vec::new(),
            caller_location: None,
            ret_place: Place::reg(0),
            ret_size: 0,
            spans: vec![SpanId::default(); code.len()],
            code,
            places: Vec::new(),
            consts: Vec::new(),
            sig: crate::SigId::UNKNOWN,
            c_variadic: false,
            byte_regs: Box::new([]),
            inlined: Box::new([]),
            site_spans: Box::new([]),
            thin_places: Box::new([]),
        }
    }
}
