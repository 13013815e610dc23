//! Where the program is, for tag histories and race reports: the running user frame's
//! function, the span table of its code and its current instruction. The interpreter
//! stores only the instruction index as it goes; the span is looked up when a history or
//! report reads the site (a retag, an access that changes borrow state, a race check).

use std::cell::Cell;

use vigil_ir::{FnId, SpanId};

/// A function and a span in it.
pub type Site = (FnId, SpanId);

pub struct SiteCell {
    fn_id: Cell<FnId>,
    spans: Cell<&'static [SpanId]>,
    pc: Cell<u32>,
}

impl Default for SiteCell {
    fn default() -> Self {
        SiteCell { fn_id: Cell::new(FnId::default()), spans: Cell::new(&[]), pc: Cell::new(0) }
    }
}

impl SiteCell {
    /// The site now.
    #[inline]
    pub fn get(&self) -> Site {
        (self.fn_id.get(), self.spans.get().get(self.pc.get() as usize).copied().unwrap_or_default())
    }

    /// The program is at instruction `pc` of function `f`, whose span table is `spans`.
    #[inline]
    pub fn set_frame(&self, f: FnId, spans: &'static [SpanId], pc: u32) {
        self.fn_id.set(f);
        self.spans.set(spans);
        self.pc.set(pc);
    }

    /// The program moved to instruction `pc` of the same function.
    #[inline(always)]
    pub fn set_pc(&self, pc: u32) {
        self.pc.set(pc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_span_is_looked_up_when_read() {
        static SPANS: [SpanId; 3] = [SpanId(10), SpanId(11), SpanId(12)];
        let s = SiteCell::default();
        assert_eq!(s.get(), (FnId(0), SpanId::default()));
        s.set_frame(FnId(4), &SPANS, 1);
        assert_eq!(s.get(), (FnId(4), SpanId(11)));
        s.set_pc(2);
        assert_eq!(s.get(), (FnId(4), SpanId(12)));
        // Past the table (no instruction there): the default span, not a panic.
        s.set_pc(7);
        assert_eq!(s.get(), (FnId(4), SpanId::default()));
    }
}
