// Freed heap addresses come back: allocating and freeing boxes of one size soon yields an address
// seen before (natively the allocator reuses at once; Vigil at `-Zmiri-address-reuse-rate`, 0.5 by
// default), and the new allocation is a fresh one that works normally.
use std::collections::HashSet;

fn main() {
    let mut seen = HashSet::new();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let b = Box::new([rounds as u8; 24]);
        let addr = (&*b as *const [u8; 24]).addr();
        assert_eq!(b[23], rounds as u8);
        drop(b);
        if !seen.insert(addr) || rounds > 10_000 {
            break;
        }
    }
    println!("an address came back: {}", rounds <= 10_000);
}
