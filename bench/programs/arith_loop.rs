// Bench (a): a 1,000,000-iteration integer arithmetic loop (adds, multiplies, xors, shifts, a modulo and a
// branch per iteration, all with overflow checks in debug mode) printing a checksum.
fn main() {
    let n: u64 = 1_000_000;
    let mut acc: u64 = 0;
    let mut x: u32 = 12345;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let v = (x % 1000) as u64;
        if v & 1 == 0 {
            acc = acc.wrapping_add(v * 3 + i);
        } else {
            acc ^= v << (i % 7);
        }
    }
    println!("checksum {}", acc);
}
