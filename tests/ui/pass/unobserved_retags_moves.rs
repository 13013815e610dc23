// References read and then dead before a call that takes a value by move (passed in place:
// the callee owns the caller's place for the call) or before a raw borrow: their retags
// are made as just their access (`elide.rs` knows which registers those instructions
// read), and the program behaves as natively.
// Twin: tests/ui/fail/aliasing_getter_then_write.rs.
#[derive(Clone)]
struct Big([u64; 8]);

#[inline(never)]
fn consume(b: Big) -> u64 {
    b.0.iter().fold(0u64, |a, &x| a.wrapping_mul(31).wrapping_add(x))
}

fn peek(b: &Big, i: usize) -> u64 {
    b.0[i % 8]
}

fn main() {
    let mut total = 0u64;
    let mut big = Big([5; 8]);
    for i in 0..200usize {
        let first = peek(&big, i);
        big.0[i % 8] = first.wrapping_add(i as u64);
        total = total.wrapping_add(consume(big.clone()));
        let p = &raw const big.0[(i + 1) % 8];
        total = total.wrapping_add(unsafe { *p });
    }
    println!("{total}");
}
