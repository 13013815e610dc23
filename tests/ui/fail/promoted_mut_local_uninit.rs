// A local reached only through `&mut` references that inlined callees use newest first lives
// in registers (`vigil_ir::promote_locals`); a write through one of them sets only the bytes
// it writes: in the second round the union holds one initialized byte, and reading the whole
// word through the `&mut` finds the other seven uninitialized. Twin:
// tests/ui/pass/promoted_mut_locals.rs.
#[derive(Clone, Copy)]
union Bits {
    word: u64,
    byte: u8,
}

fn set_low(b: &mut Bits, v: u8) {
    b.byte = v;
}

fn word(b: &mut Bits) -> u64 {
    unsafe { b.word } //~ ERROR: uninitialized
}

fn main() {
    let mut total = 0u64;
    for i in 0..2u64 {
        let mut bits = Bits { byte: 0 };
        if i == 0 {
            bits = Bits { word: 9 };
        }
        set_low(&mut bits, i as u8);
        total = total.wrapping_add(word(&mut bits));
    }
    println!("{total}");
}
