// Twin of tests/ui/fail/tb_wildcard_subtree_relatedness.rs: inside a tree rooted at a
// reference made from an exposed address, a shared reference read before its mutable sibling
// writes is fine.
fn main() {
    let mut value = 0u64;
    let addr = &mut value as *mut u64 as usize;
    let root = unsafe { &mut *(addr as *mut u64) };
    let raw = root as *mut u64;
    let reader = unsafe { &*raw };
    let before = *reader;
    let writer = unsafe { &mut *raw };
    *writer = 1;
    println!("{before} {}", *writer);
}
