//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing, protectors: `f` receives `x: &mut u32` (retagged at function entry with a protector that
// lasts until `f` returns) and a raw pointer to the same `u32`. Writing through the raw pointer while
// `x` is protected is UB under both models, even though `x` is used again only afterwards.
fn f(x: &mut u32, alias: *mut u32) {
    unsafe { *alias = 7 };
    //~[stack]^ ERROR: which is strongly protected
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    *x = 8;
}

fn main() {
    let mut v = 1u32;
    let p = &mut v as *mut u32;
    f(unsafe { &mut *p }, p);
}
