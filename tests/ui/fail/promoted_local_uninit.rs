// A local whose reference only feeds the reads of an inlined callee lives in registers
// (`vigil_ir::promote_locals`), and its storage starts uninitialized each time, as a fresh
// allocation does: the second round writes no byte of the union (its field is empty), and
// the read finds them uninitialized, not the first round's value. Twin:
// tests/ui/pass/promoted_locals.rs.
#[derive(Clone, Copy)]
union Bits {
    word: u64,
    none: (),
}

fn read(b: &Bits, k: u64) -> u64 {
    unsafe { b.word }.wrapping_mul(k) ^ k //~ ERROR: uninitialized
}

fn main() {
    let mut total = 0u64;
    for i in 0..2u64 {
        let bits = if i == 0 { Bits { word: 5 } } else { Bits { none: () } };
        total = total.wrapping_add(read(&bits, i + 1));
    }
    println!("{total}");
}
