// Retags of references to zero-sized values access no byte, so they end no search for
// retags nothing can observe (`elide.rs`): a comparison through a `fn` item called by
// `&mut` (the shape of a sort's `is_less`), and a zero-sized token passed by `&mut`
// between reads through a shared reference. The same shapes with a raw write after the
// reference is dead, which is allowed.
// Twin: tests/ui/fail/aliasing_zst_callee.rs.
struct Token;

impl Token {
    fn tick(&mut self) {}
}

fn less_by<F: FnMut(&u64, &u64) -> bool>(a: &u64, b: &u64, is_less: &mut F) -> bool {
    is_less(a, b)
}

fn read_around(r: &u64, t: &mut Token) -> u64 {
    let a = *r;
    t.tick();
    a.wrapping_add(*r)
}

fn main() {
    let mut v: Vec<u64> = (0..64u64).map(|i| i.wrapping_mul(0x9e37_79b9) % 1000).collect();
    let mut lt = <u64 as PartialOrd>::lt;
    let mut swaps = 0;
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less_by(&v[j], &v[j - 1], &mut lt) {
            v.swap(j, j - 1);
            swaps += 1;
            j -= 1;
        }
    }
    let mut t = Token;
    let mut x = 7u64;
    let raw = &raw mut x;
    let mut sum = 0u64;
    for i in 0..100u64 {
        sum = sum.wrapping_add(read_around(unsafe { &*raw }, &mut t));
        unsafe { *raw = i };
    }
    println!("{swaps} {:?} {sum}", &v[..8]);
}
