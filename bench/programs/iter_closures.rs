// Bench (h): iterator chains and closures, the shape of most idiomatic Rust: map/filter/sum,
// zip/rev/fold, filter_map/collect, windows/max, chars/enumerate/flat_map and sort_by_key, each
// element crossing several small calls (`next`, the adapters' closures, `fold`); prints a checksum.
fn main() {
    let v: Vec<u64> = (0..6_000).map(|i| (i * 2_654_435_761u64) % 10_007).collect();
    let text = "the quick brown fox jumps over the lazy dog while the cat sleeps in the sun";
    let mut total = 0u64;
    for round in 0..4u64 {
        let s: u64 = v.iter().map(|x| x * 3 + round).filter(|x| x % 7 != 0).sum();
        let z = v.iter().zip(v.iter().rev()).map(|(a, b)| a ^ b).fold(0u64, |acc, x| acc.wrapping_mul(31).wrapping_add(x));
        let thirds: Vec<u64> = v.iter().filter_map(|&x| if x % 3 == 0 { Some(x / 3) } else { None }).collect();
        let peak = v.windows(3).map(|w| w[0] + w[2] - w[1].min(w[0] + w[2])).max().unwrap_or(0);
        let letters: usize = text.split(' ').enumerate().flat_map(|(i, w)| w.chars().skip(i % 2)).filter(|c| "aeiou".contains(*c)).count();
        let mut pairs: Vec<(u64, usize)> = v.iter().take(1_500).enumerate().map(|(i, &x)| (x % 97, i)).collect();
        pairs.sort_by_key(|&(k, i)| (k, std::cmp::Reverse(i)));
        let any = v.iter().any(|&x| x == 10_006 - round) as u64;
        let pos = v.iter().position(|&x| x > 10_000).unwrap_or(0) as u64;
        total = total.wrapping_add(s ^ z ^ thirds.len() as u64 ^ peak ^ letters as u64 ^ pairs[7].1 as u64 ^ any ^ pos);
    }
    println!("checksum: {total}");
}
