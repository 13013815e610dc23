//@compile-flags: -Zmiri-tree-borrows
// Shared references to nothing but `UnsafeCell`s, one made from the other, below a `&mut`
// that a write through the raw pointer it came from then disables: a read through the
// second is a child read of the disabled `&mut`. (Vigil makes no node for such references:
// they act as their parent's; the report still names the accessed one and where it was
// made.) Twin: the same program without the write through the raw pointer is
// tests/ui/pass/unobserved_retags_cells.rs.
use std::cell::Cell;

fn main() {
    let mut x = 0u32;
    let root = &raw mut x;
    let m: &mut u32 = unsafe { &mut *root };
    *m = 1;
    let c: &Cell<u32> = unsafe { &*(m as *mut u32 as *const Cell<u32>) };
    let d: &Cell<u32> = &*c;
    unsafe { *root = 2 };
    let v = unsafe { *(d as *const Cell<u32> as *const u32) }; //~ ERROR: /read access through .* is forbidden/
    println!("{v}");
}
