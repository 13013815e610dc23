//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A small callee (inlined) that reads through its `&u64` argument and then writes to the
// same place through a raw pointer: the argument is protected for the whole call, so the
// write is UB even though the reference is not used after it.
// Twin: tests/ui/pass/unobserved_retags.rs.
fn read_then_write(r: &u64, p: *mut u64) -> u64 {
    let a = *r;
    unsafe { *p = a + 1 };
    //~[stack]^ ERROR: /not granting access to tag .* strongly protected/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    a
}

fn main() {
    let mut x = 1u64;
    let raw = &raw mut x;
    let _ = read_then_write(unsafe { &*raw }, raw);
}
