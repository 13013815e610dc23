//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a raw pointer derived from a shared reference `&x` is cast to `*mut` and written through.
// The reference was retagged read-only (Stacked Borrows: SharedReadOnly; Tree Borrows: Frozen), so
// the write is UB under both models. (The cast happens in a helper so that rustc's
// `invalid_reference_casting` lint does not reject the program.)
fn as_mut_ptr(p: *const u32) -> *mut u32 {
    p as *mut u32
}

fn main() {
    let x = 5u32;
    let p = as_mut_ptr(&x);
    unsafe { *p = 6 };
    //~[stack]^ ERROR: but that tag only grants SharedReadOnly permission for this location
    //~[tree]^^ ERROR: /write access through .* is forbidden/
}
