// A local written while a shared reference to it is still to be read stays in memory
// (`vigil_ir::promote_locals` refuses it): the write through the local invalidates the
// reference, and the inlined callee's read through it is reported. Twin:
// tests/ui/pass/promoted_locals.rs.
fn get(r: &u64) -> u64 {
    *r
}

fn main() {
    let mut x = 1u64;
    // (The transmute only hides the borrow from the borrow checker.)
    let r: &u64 = unsafe { std::mem::transmute::<&u64, &'static u64>(&x) };
    x = 2;
    let _ = get(r); //~ ERROR: does not exist in the borrow stack
    let _ = x;
}
