//! Miri's debugging hooks for the aliasing models, which test code calls under `cfg(miri)`:
//! allocation ids, names for tags, the printed borrow state of an allocation, an explicit
//! collection of dead tags, and extra roots for the leak check.

use std::fmt::Write;

use vigil_ir::BorrowDebugShim;

use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::{Prov, fmt_ptr};

impl Machine<'_> {
    pub(super) fn borrow_debug_shim(&mut self, shim: BorrowDebugShim, ret: CallReturn) -> Res<()> {
        use BorrowDebugShim::*;
        match shim {
            MiriGetAllocId => {
                let p = self.mem.resolve_wildcard(self.arg_ptr(0), 0);
                if p.prov.alloc == 0 || !self.mem.get(p.prov).live {
                    return Err(Error::unsupported(format!(
                        "pointer passed to `miri_get_alloc_id` must not be dangling, got {}",
                        fmt_ptr(p)
                    )));
                }
                self.complete_call(ret, p.prov.alloc as i64)
            }
            MiriPointerName => {
                let (p, nth) = (self.mem.resolve_wildcard(self.arg_ptr(0), 0), self.arg_u64(1) as u8);
                let (data, (len, _)) = (self.arg_ptr(2), self.arg_meta(2));
                let name = String::from_utf8_lossy(self.mem.read_init(data, len)?).into_owned();
                self.name_tag(p.prov, nth, name);
                self.complete_unit(ret)
            }
            MiriPrintBorrowState => {
                let (id, show_unnamed) = (self.arg_u64(0), self.arg_u64(1) & 1 == 1);
                let text = self.borrow_state_text(id, show_unnamed);
                self.os.write_stdio(2, text.as_bytes());
                self.complete_unit(ret)
            }
            MiriRunProvenanceGc => {
                self.collect_dead_tags();
                self.complete_unit(ret)
            }
            MiriStaticRoot => {
                let p = self.mem.resolve_wildcard(self.arg_ptr(0), 0);
                if p.prov.alloc == 0 || !self.mem.get(p.prov).live || self.mem.get(p.prov).base != p.addr {
                    return Err(Error::unsupported(format!(
                        "`miri_static_root` must be called on the start of a live allocation, got {}",
                        fmt_ptr(p)
                    )));
                }
                self.mem.add_static_root(p.prov.alloc);
                self.complete_unit(ret)
            }
        }
    }

    /// Names the tag of `prov` (or its `nth` parent, under Tree Borrows) for printed states.
    fn name_tag(&mut self, prov: Prov, nth: u8, name: String) {
        let Some(sb) = &self.mem.sb else { return };
        let tag = if sb.tree && prov.alloc != 0 {
            match self.mem.get(prov).tree.as_ref().and_then(|t| t.borrow().nth_parent(prov.tag, nth)) {
                Some(t) => t,
                None => {
                    self.os.write_stdio(
                        2,
                        format!("warning: `miri_pointer_name`: tag <{}> has no parent {nth} levels up\n", prov.tag).as_bytes(),
                    );
                    return;
                }
            }
        } else if nth == 0 {
            prov.tag
        } else {
            // Stacked Borrows has no parent tags.
            return;
        };
        sb.names.borrow_mut().entry(tag).or_default().push(name);
        // A named tag is never collected (nor dropped at a return).
        let tag_prov = Prov { alloc: prov.alloc, tag };
        self.mem.note_stored(tag_prov);
    }

    /// The borrow state of allocation `id` as text (a tag tree or the stacks).
    fn borrow_state_text(&self, id: u64, show_unnamed: bool) -> String {
        let Some(sb) = &self.mem.sb else {
            return "no borrow state to print: the aliasing model is off\n".to_string();
        };
        if id == 0 || id >= self.mem.alloc_count() as u64 || !self.mem.get(Prov::base(id as u32)).live {
            return format!("no borrow state to print: alloc{id} is not a live allocation\n");
        }
        let a = self.mem.get(Prov::base(id as u32));
        let names = sb.names.borrow();
        let protected = sb.protected.borrow();
        let is_protected = |c| protected.contains(c);
        let mut out = String::new();
        if let Some(tree) = &a.tree {
            let _ = writeln!(out, "alloc{id} ({} bytes), Tree Borrows tags:", a.size);
            out.push_str(&tree.borrow().render(&names, show_unnamed, &is_protected));
        } else if let Some(stacks) = &a.stacks {
            let _ = writeln!(out, "alloc{id} ({} bytes), Stacked Borrows stacks, bottom first:", a.size);
            // The overlay's items go onto the runs, so that each run shows its whole stack.
            stacks.borrow_mut().materialize();
            for (start, end, stack) in stacks.borrow().runs.runs() {
                let items: Vec<String> = stack
                    .iter()
                    .map(|item| {
                        let tag = item.tag;
                        let name = names.get(&tag).map(|n| format!("={}", n.join(", "))).unwrap_or_default();
                        let prot = if item.protector != 0 && is_protected(item.protector) { " (protected)" } else { "" };
                        format!("{} <{tag}{name}>{prot}", item.perm.name())
                    })
                    .collect();
                let _ = writeln!(out, "{start}..{end}: [{}]", items.join(", "));
            }
        } else {
            let _ = writeln!(out, "alloc{id} has no borrow state (function or untracked memory)");
        }
        out
    }
}
