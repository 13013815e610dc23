//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing, exposed provenance: the address of a shared reference is exposed and turned back into a
// pointer (wildcard provenance). The only exposed tag is the shared reference's, which grants no
// write (Stacked Borrows: SharedReadOnly; Tree Borrows: Frozen), so writing through the wildcard
// pointer is UB under both models.
fn expose(p: *const u32) -> usize {
    p as usize
}

fn main() {
    let mut x = 0u32;
    let shared = &x;
    let addr = expose(shared);
    let p = addr as *mut u32;
    unsafe { *p = 1 };
    //~[stack]^ ERROR: but no exposed tags have suitable permission in the borrow stack for this location
    //~[tree]^^ ERROR: /write access through <wildcard> at .* is forbidden/
    x += 1;
    let _val = x;
}
