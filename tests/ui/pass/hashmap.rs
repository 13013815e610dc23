// HashMap with the default (randomly seeded) hasher: only lookups, lengths and sorted output.
use std::collections::HashMap;

fn main() {
    let mut m: HashMap<String, i32> = HashMap::new();
    for (i, w) in ["apple", "banana", "cherry", "date", "elder"].iter().enumerate() {
        m.insert(w.to_string(), i as i32);
    }
    println!("len {}", m.len());
    println!("get banana {:?} get fig {:?}", m.get("banana"), m.get("fig"));
    println!("insert existing returns {:?}", m.insert("apple".into(), 10));
    *m.get_mut("cherry").unwrap() += 100;
    *m.entry("fig".into()).or_insert(0) += 5;
    *m.entry("fig".into()).or_insert(0) += 5;
    m.entry("apple".into()).and_modify(|v| *v *= 2).or_insert(-1);
    println!("remove date {:?} remove zzz {:?}", m.remove("date"), m.remove("zzz"));
    println!("contains elder {} contains date {}", m.contains_key("elder"), m.contains_key("date"));
    let mut items: Vec<(&String, &i32)> = m.iter().collect();
    items.sort();
    println!("sorted items {:?}", items);
    let total: i32 = m.values().sum();
    println!("sum of values {}", total);

    let mut big: HashMap<u64, u64> = HashMap::new();
    for i in 0..800u64 {
        big.insert(i.wrapping_mul(2654435761) % 4099, i);
    }
    println!("big len {}", big.len());
    let mut hits = 0;
    for k in 0..4099u64 {
        if big.contains_key(&k) {
            hits += 1;
        }
    }
    println!("hits {}", hits);
    big.retain(|k, _| k % 3 == 0);
    println!("after retain len {}", big.len());
    let mut keys: Vec<u64> = big.keys().copied().collect();
    keys.sort_unstable();
    println!("first keys {:?}", &keys[..5]);

    let counts = "the quick brown fox jumps over the lazy dog the end"
        .split_whitespace()
        .fold(HashMap::new(), |mut acc: HashMap<&str, usize>, w| {
            *acc.entry(w).or_default() += 1;
            acc
        });
    let mut cv: Vec<_> = counts.into_iter().collect();
    cv.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("counts {:?}", cv);

    let m2: HashMap<i32, char> = (0..5).zip("abcde".chars()).collect();
    let mut m2v: Vec<_> = m2.iter().map(|(k, v)| format!("{}={}", k, v)).collect();
    m2v.sort();
    println!("m2 {}", m2v.join(","));
    let m3 = m2.clone();
    println!("clone equal {}", m2 == m3);
    let mut drained: Vec<_> = m.drain().collect();
    drained.sort();
    println!("drained {:?} now empty {}", drained, m.is_empty());
}
