// Transmutes that keep pointers as pointers (or in a union) keep their provenance; one into
// integers gives plain addresses, which `with_addr` turns back into usable pointers.
use std::mem::{self, MaybeUninit};

#[repr(C)]
struct Pair {
    ptr: *const u32,
    len: usize,
}

fn main() {
    let (a, b) = (7u32, 8u32);
    // Pointer to pointer: provenance stays.
    let raw: [*const u32; 2] = unsafe { mem::transmute((&a, &b)) };
    println!("{} {}", unsafe { *raw[0] }, unsafe { *raw[1] });
    // Into a struct whose first field is a pointer: that one stays usable.
    let pair: Pair = unsafe { mem::transmute((&a, 5usize)) };
    println!("{} {}", unsafe { *pair.ptr }, pair.len);
    // Into a union (`MaybeUninit`): provenance is kept and comes back out.
    let mu: MaybeUninit<usize> = unsafe { mem::transmute(&b) };
    let back: &u32 = unsafe { mem::transmute(mu) };
    println!("{back}");
    // Into an integer: an address only, given provenance again by `with_addr`.
    let addr: usize = unsafe { mem::transmute(&a as *const u32) };
    let again = (&b as *const u32).with_addr(addr);
    println!("{}", (&a as *const u32).with_addr(addr) == again);
    println!("{}", unsafe { *(&a as *const u32).with_addr(addr) });
}
