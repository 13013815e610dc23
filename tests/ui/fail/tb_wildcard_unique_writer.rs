//@compile-flags: -Zmiri-tree-borrows -Zmiri-permissive-provenance
// Two exposed children of one reference, a shared one and a mutable one: a write through a
// wildcard pointer can only have been made by the mutable one, so it is foreign to the shared
// one, which it disables.
fn main() {
    let mut value = 0u32;
    let base = &mut value;
    let raw = base as *mut u32;
    let shared = unsafe { &*raw };
    let shared_addr = shared as *const u32 as usize;
    let unique = unsafe { &mut *raw };
    let _unique_addr = unique as *mut u32 as usize;
    let wild = shared_addr as *mut u32;
    unsafe { wild.write(5) };
    let _x = *shared; //~ ERROR: /read access through .* is forbidden/
}
