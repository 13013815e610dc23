// `xor_steps`' `for` loop calls `Range::next` with a `&mut` to its iterator, a local in
// memory: the standard library's `next` (which protects its `&mut`) is inlined into the
// user's code because the call passes a reference just made to a local, and the iterator
// then lives in registers, with neither retags nor a protector left.
fn xor_steps(n: u64) -> u64 {
    let mut t = 0u64;
    for i in 0..n {
        t ^= i.wrapping_mul(7);
    }
    t
}

fn main() {
    let (mut expected, mut i) = (0u64, 0u64);
    while i < 100 {
        expected ^= i * 7;
        i += 1;
    }
    assert_eq!(xor_steps(100), expected);
}
