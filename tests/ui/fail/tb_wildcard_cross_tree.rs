//@compile-flags: -Zmiri-tree-borrows -Zmiri-permissive-provenance
// A reference made from an exposed address roots a tree of its own, hanging below some exposed
// tag Tree Borrows cannot name. A write through the main tree's reference it came from is still
// foreign to it: the main tree's tags are older than the new tree's root, so none of them can be
// below it. The write disables it.
fn main() {
    let mut value = 7u32;
    let owner = &mut value;
    let addr = owner as *mut u32 as usize;
    let alias = unsafe { &mut *(addr as *mut u32) };
    *alias += 1;
    *owner += 1;
    let _x = *alias; //~ ERROR: /read access through .* is forbidden/
}
