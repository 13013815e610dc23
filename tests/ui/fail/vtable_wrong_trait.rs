// A wide pointer's vtable must be one made for its trait: `&dyn Display` transmuted to
// `*const dyn Debug` carries `Display`'s vtable, which is invalid even for a raw pointer.
use std::fmt::{Debug, Display};

fn main() {
    let shown: &dyn Display = &7u8;
    let _p: *const dyn Debug = unsafe { std::mem::transmute(shown) }; //~ ERROR: wrong trait in wide pointer vtable
}
