//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a `&mut` of a local passed on to a method by a two-phase reborrow (`r.set(p)`),
// whose callee then writes through a raw pointer made from the local before the `&mut`.
// Under Tree Borrows that foreign write would disable the method's protected `&mut self`
// (the report names it: its tag is numbered after `r`'s and the reborrow's, whose nodes
// the lowering leaves out); under Stacked Borrows `r`'s retag already removed the raw
// pointer's item.
struct Counter {
    n: u32,
}

impl Counter {
    fn set(&mut self, p: *mut Counter) {
        unsafe { (*p).n = 7 };
        //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
        //~[tree]^^ ERROR: /write access through .* is forbidden/
        self.n += 1;
    }
}

fn main() {
    let mut c = Counter { n: 0 };
    let p = &raw mut c;
    let r = &mut c;
    r.set(p);
    println!("{}", c.n);
}
