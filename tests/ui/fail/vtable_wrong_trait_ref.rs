// A trait object's vtable must be one made for its trait, for a reference as for a raw
// pointer: `&dyn Display` transmuted to `&dyn Debug` carries `Display`'s vtable. (The
// value lies in registers alone: the reference's fast path checks the vtable too.)
// Twin: tests/ui/pass/ref_wrappers.rs.
use std::fmt::{Debug, Display};

fn main() {
    let shown: &dyn Display = &7u8;
    let r: &dyn Debug = unsafe { std::mem::transmute(shown) }; //~ ERROR: wrong trait in wide pointer vtable
    let _ = r;
}
