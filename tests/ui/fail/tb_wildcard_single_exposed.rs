//@compile-flags: -Zmiri-tree-borrows
// Under Tree Borrows, a pointer made from an exposed address acts as an exposed tag. With one
// exposed tag, a write through the wildcard is a write through that tag: it makes the `&mut`
// unique, a read through its parent then freezes it, and the next write through the wildcard
// is refused.
fn main() {
    let mut value: u64 = 0;
    let r = &mut value;
    let addr = r as *mut u64 as usize;
    let wild = addr as *mut u64;
    unsafe { wild.write(1) };
    let _read = value;
    unsafe { wild.write(2) }; //~ ERROR: is forbidden
}
