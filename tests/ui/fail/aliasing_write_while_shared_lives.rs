//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A shared reference read through, then its pointee written through the raw pointer it was
// made from, then read through again: the write ended the reference. (Its first read alone
// would let its retag be made as just a read, `elide.rs`; the later use must keep it.)
// Twin: tests/ui/pass/unobserved_retags.rs.
fn main() {
    let mut x = 1u64;
    let raw = &raw mut x;
    let r = unsafe { &*raw };
    let a = *r;
    unsafe { *raw = a + 1 };
    let _b = *r;
    //~[stack]^ ERROR: /attempting a read access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /read access through .* is forbidden/
}
