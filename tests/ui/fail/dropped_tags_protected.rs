//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A function-entry reference no register holds after a call inside the function is still
// protected until the function returns: its tag keeps its node when the inner call returns,
// and a foreign write to it is still a protector violation.
// Twin: tests/ui/pass/dropped_tags.rs.

#[inline(never)]
fn helper(n: u64) -> u64 {
    let a = [n, n + 1];
    let r = &a;
    r[0] + r[1]
}

#[inline(never)]
fn callee(x: &mut u64, raw: *mut u64) -> u64 {
    let seen = *x;
    let h = helper(seen);
    unsafe { *raw = h };
    //~[stack]^ ERROR: /not granting access to tag .* because that would remove .* which is strongly protected/
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    h
}

fn main() {
    let mut v = 1u64;
    let raw = &raw mut v;
    callee(unsafe { &mut *raw }, raw);
}
