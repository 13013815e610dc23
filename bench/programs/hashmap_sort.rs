// Bench (b): insert 20,000 keys into a HashMap (default SipHash hasher) and look them up, then sort 50,000
// pseudo-random integers from an LCG; prints order-independent checksums.
use std::collections::HashMap;

fn main() {
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let mut map: HashMap<u64, u64> = HashMap::new();
    for i in 0..20_000u64 {
        map.insert(next(), i);
    }
    let mut hits = 0u64;
    let mut sum = 0u64;
    for k in map.keys().copied().collect::<Vec<_>>() {
        if let Some(v) = map.get(&k) {
            hits += 1;
            sum = sum.wrapping_add(*v ^ k);
        }
    }
    println!("map len {} hits {} checksum {}", map.len(), hits, sum);

    let mut v: Vec<u64> = (0..50_000).map(|_| next() % 1_000_000).collect();
    v.sort();
    let check = v.iter().enumerate().fold(0u64, |a, (i, x)| a.wrapping_mul(31).wrapping_add(x ^ i as u64));
    println!("sorted min {} max {} median {} checksum {}", v[0], v[v.len() - 1], v[v.len() / 2], check);
}
