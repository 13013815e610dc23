//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: two field references made through one raw pointer are read beside each other (reads
// through the same parent, which change nothing), then a write through the raw pointer ends the
// second one, which is read again.
struct Pair {
    a: u64,
    b: u64,
}

fn main() {
    let mut p = Pair { a: 1, b: 2 };
    let pm = &raw mut p;
    let a = unsafe { &(*pm).a };
    let b = unsafe { &(*pm).b };
    let s = *a + *b;
    unsafe { (*pm).b = s };
    let t = *b;
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    println!("{t}");
}
