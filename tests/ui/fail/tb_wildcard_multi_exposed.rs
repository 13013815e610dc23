//@compile-flags: -Zmiri-tree-borrows -Zmiri-permissive-provenance
// A reference with several exposed children: once its own writes have disabled them all, a
// write through a wildcard pointer can only have been made by the exposed reference above it,
// so it is a foreign write for the reference, which it disables.
fn main() {
    let mut value = 0u32;
    let outer = &mut value;
    let _outer_addr = outer as *mut u32 as usize;
    let inner = &mut *outer;
    let left = &mut *inner;
    let _left_addr = left as *mut u32 as usize;
    let right = &mut *inner;
    let right_addr = right as *mut u32 as usize;
    *inner = 1;
    let wild = right_addr as *mut u32;
    unsafe { wild.write(2) };
    let _x = *inner; //~ ERROR: /read access through .* is forbidden/
}
