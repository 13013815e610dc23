// Locals whose references only feed the reads of inlined callees live in registers
// (`vigil_ir::promote_locals`): a struct read field by field and through a reference to one
// of its fields, a local written again once its reference was last read, a union written in
// every round, tuples compared, and a struct compared by its derived `==`; the program prints what it does natively. Twins:
// tests/ui/fail/promoted_local_*.rs.
#[derive(Clone, Copy, PartialEq)]
struct Triple {
    a: u64,
    b: u32,
    c: u16,
}

fn sum(t: &Triple) -> u64 {
    t.a + t.b as u64 + t.c as u64
}

fn field(b: &u32) -> u64 {
    *b as u64 * 3
}

fn get(r: &u64) -> u64 {
    *r
}

#[derive(Clone, Copy)]
union Bits {
    word: u64,
    half: u32,
}

fn read(b: &Bits, k: u64) -> u64 {
    unsafe { b.word }.wrapping_mul(k) ^ k
}

fn lesser(x: &(u64, u64), y: &(u64, u64)) -> bool {
    x.0 < y.0 || (x.0 == y.0 && x.1 < y.1)
}

fn main() {
    let mut total = 0u64;
    for i in 0..200u64 {
        let t = Triple { a: i, b: (i * 7) as u32, c: (i % 13) as u16 };
        total = total.wrapping_add(sum(&t) + field(&t.b));
        let mut x = i * i;
        total = total.wrapping_add(get(&x));
        x += 5;
        total = total.wrapping_add(get(&x));
        let bits = if i % 2 == 0 { Bits { word: i } } else { Bits { word: u64::MAX - i } };
        total = total.wrapping_add(read(&bits, i + 1));
        let half = Bits { half: 7 };
        total = total.wrapping_add(unsafe { half.half } as u64);
        let (p, q) = ((i % 17, i), (i % 5, 200 - i));
        if lesser(&p, &q) {
            total = total.wrapping_add(1);
        }
        let u = t;
        assert!(u == t);
    }
    println!("total {total}");
}
