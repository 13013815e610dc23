//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A reference reborrowed again and returned (`&*first` out of a small getter, as
// `slice::Iter::next` returns its element): the getter's own reference is made as just its
// read, and the returned reference is still ended by a write through the raw pointer both
// came from.
// Twin: tests/ui/pass/unobserved_retags_child.rs.
struct Cursor {
    ptr: *const u64,
}

impl Cursor {
    fn get(&self) -> &u64 {
        let first: &u64 = unsafe { &*self.ptr };
        &*first
    }
}

fn main() {
    let mut x = [1u64, 2];
    let raw = x.as_mut_ptr();
    let c = Cursor { ptr: raw };
    let e = c.get();
    unsafe { *raw = 5 };
    let v = *e;
    //~[stack]^ ERROR: /attempting a read access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    println!("{v}");
}
