// A local whose storage ends while a reference to it is still to be read stays in memory
// (`vigil_ir::promote_locals` refuses it): the reference dangles once the block is left.
// Twin: tests/ui/pass/promoted_locals.rs.
fn get(r: &u64) -> u64 {
    *r
}

fn main() {
    let r: &'static u64;
    {
        let x = 5u64;
        // (The transmute only hides the borrow from the borrow checker.)
        r = unsafe { std::mem::transmute::<&u64, &'static u64>(&x) };
    }
    let _ = get(r); //~ ERROR: dangling reference
}
