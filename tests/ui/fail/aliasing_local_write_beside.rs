//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a `&mut` made from a raw pointer to a local, beside reads of another local; then a
// write through the raw pointer to the same local ends the `&mut`, which is used again.
fn main() {
    let mut a = 1u64;
    let b = 2u64;
    let pa = &raw mut a;
    let ra = unsafe { &mut *pa };
    let pb = &raw const b;
    let sum = *ra + unsafe { *pb };
    unsafe { *pa = sum };
    *ra += 1;
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    println!("{a}");
}
