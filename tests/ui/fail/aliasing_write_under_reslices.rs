//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a write through a raw pointer to the vector's buffer invalidates the shared
// slices made by reslicing it (while a reference to every third element was kept, so the
// elements' stacks differ); reading the written element through such a slice is UB.
fn main() {
    let mut v: Vec<u64> = (0..200).collect();
    let p = v.as_mut_ptr();
    let kept: Vec<&u64> = v.iter().step_by(3).collect();
    let mut rest: &[u64] = &v;
    for _ in 0..50 {
        rest = &rest[1..];
    }
    let w = &rest[10..];
    let first = w[0];
    unsafe { *p.add(70) = 7 };
    let seen = w[10];
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    let _ = (kept.len(), first, seen);
}
