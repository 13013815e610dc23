// Twin of tests/ui/fail/tb_wildcard_cross_tree.rs: a reference made from an exposed address
// roots a tree of its own; it is used before the reference it came from writes again, never
// after.
fn main() {
    let mut value = 7u32;
    let owner = &mut value;
    let addr = owner as *mut u32 as usize;
    let alias = unsafe { &mut *(addr as *mut u32) };
    *alias += 1;
    let seen = *alias;
    *owner += 1;
    println!("{seen} {}", *owner);
}
