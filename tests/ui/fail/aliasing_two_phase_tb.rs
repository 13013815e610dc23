//@compile-flags: -Zvigil-tree-borrows
// Aliasing, two-phase borrows (Tree Borrows only): `c.add(..)` reserves `&mut c` (a two-phase borrow),
// then the argument writes to `c` through an older raw pointer before the borrow is activated. Under Tree
// Borrows the foreign write disables the reserved borrow, and its function-entry retag in `add` (a read)
// is UB. Stacked Borrows treats two-phase borrows like raw pointers and accepts this program.
struct Counter {
    n: u32,
}

impl Counter {
    fn add(&mut self, x: u32) {
        //~^ ERROR: /reborrow through .* is forbidden/
        self.n += x;
    }
}

fn main() {
    let mut c = Counter { n: 1 };
    let p = &mut c as *mut Counter;
    c.add(unsafe {
        (*p).n = 5;
        2
    });
}
