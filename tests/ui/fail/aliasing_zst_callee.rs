//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// A shared reference read, a zero-sized token passed by `&mut` (its retag accesses no
// byte), then a write through the raw pointer the reference came from, then a read through
// the reference: the write ended it, whatever the token's retag did.
// Twin: tests/ui/pass/unobserved_retags_zst.rs.
struct Token;

impl Token {
    fn tick(&mut self) {}
}

fn main() {
    let mut x = 1u64;
    let raw = &raw mut x;
    let r = unsafe { &*raw };
    let mut t = Token;
    let a = *r;
    t.tick();
    unsafe { *raw = a + 1 };
    let b = *r;
    //~[stack]^ ERROR: /attempting a read access using .* but that tag does not exist/
    //~[tree]^^ ERROR: /read access through .* is forbidden/
    println!("{b}");
}
