//@compile-flags: -Zvigil-strict-provenance
// Strict provenance: a pointer read through an integer type loses its provenance; turned back into a
// pointer (by `transmute`, not a cast) it cannot be dereferenced.
#![allow(integer_to_ptr_transmutes)]

fn main() {
    let x = 5u32;
    let p: *const u32 = &x;
    let addr: usize = unsafe { *(&p as *const *const u32).cast::<usize>() };
    let q: *const u32 = unsafe { std::mem::transmute(addr) };
    let _y = unsafe { *q }; //~ ERROR: no provenance
}
