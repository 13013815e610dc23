//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing, Box: a raw pointer into a `Box` is kept while the `Box` is moved. The move retags the Box
// like a fresh `&mut` (Stacked Borrows: Unique, which pops the raw pointer's tag; Tree Borrows: a new
// Reserved child). Stacked Borrows reports the write through the old raw pointer; Tree Borrows accepts
// it but it disables the moved Box, whose next use is reported.
fn main() {
    let mut b = Box::new(1u32);
    let raw: *mut u32 = &mut *b;
    let b2 = b;
    unsafe { *raw = 2 };
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    let _val = *b2;
    //~[tree]^ ERROR: /read access through .* is forbidden/
}
