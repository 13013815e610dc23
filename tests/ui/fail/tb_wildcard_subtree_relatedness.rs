//@compile-flags: -Zmiri-tree-borrows -Zmiri-permissive-provenance
// Inside a tree rooted at a reference made from an exposed address, tags relate to each other
// as anywhere else: a write through a mutable reference disables a shared sibling.
fn main() {
    let mut value = 0u64;
    let addr = &mut value as *mut u64 as usize;
    let root = unsafe { &mut *(addr as *mut u64) };
    let raw = root as *mut u64;
    let reader = unsafe { &*raw };
    let writer = unsafe { &mut *raw };
    *writer = 1;
    let _x = *reader; //~ ERROR: /read access through .* is forbidden/
}
