// Bench (b): insert 5,000 keys into a HashMap (default SipHash hasher) and look them up, then sort 12,500
// pseudo-random integers from an LCG; prints order-independent checksums. (Specified as 20,000 keys and 50,000
// integers; that took 555 s under Miri on the 2-core benchmark machine, over the 5-minute budget, so the sizes
// are divided by 4. Change N_KEYS / N_SORT to measure the original size.)
use std::collections::HashMap;

const N_KEYS: u64 = 5_000;
const N_SORT: usize = 12_500;

fn main() {
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let mut map: HashMap<u64, u64> = HashMap::new();
    for i in 0..N_KEYS {
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

    let mut v: Vec<u64> = (0..N_SORT).map(|_| next() % 1_000_000).collect();
    v.sort();
    let check = v.iter().enumerate().fold(0u64, |a, (i, x)| a.wrapping_mul(31).wrapping_add(x ^ i as u64));
    println!("sorted min {} max {} median {} checksum {}", v[0], v[v.len() - 1], v[v.len() / 2], check);
}
