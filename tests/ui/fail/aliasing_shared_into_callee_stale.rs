//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing: a shared reborrow of a value, made after a method call took one of its parent and
// passed it straight to the method; a write to the value through the raw pointer both came
// from ends it (Stacked Borrows pops it; Tree Borrows disables it), and the next method
// call's reborrow of it, passed straight to the method, is then UB at the call, not at the
// method's entry (the report names the tag made after the first call's reborrow).
struct Bag(Vec<u32>);

impl Bag {
    fn describe(&self) -> usize {
        let s = format!("{:?}", self.0);
        s.len()
    }
}

fn main() {
    let mut b = Bag(vec![1]);
    let p = &raw mut b;
    let q = unsafe { &mut *p };
    let n = q.describe();
    let r = &*q;
    unsafe { (*p).0.push(3) };
    let m = r.describe();
    //~[stack]^ ERROR: but that tag does not exist in the borrow stack for this location
    //~[tree]^^ ERROR: /reborrow through .* is forbidden/
    println!("{}", n + m);
}
