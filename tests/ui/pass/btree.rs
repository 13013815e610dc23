// BTreeMap and BTreeSet: ordered iteration, ranges, entry API, first/last, split.
use std::collections::{BTreeMap, BTreeSet};

fn main() {
    let mut m = BTreeMap::new();
    for (i, w) in "zeta alpha mu beta omega gamma".split(' ').enumerate() {
        m.insert(w, i);
    }
    println!("{:?}", m);
    println!("first {:?} last {:?}", m.first_key_value(), m.last_key_value());
    let r: Vec<_> = m.range("beta".."mu").collect();
    println!("range beta..mu {:?}", r);
    *m.entry("alpha").or_insert(0) += 10;
    m.entry("delta").or_insert(99);
    println!("remove mu {:?}", m.remove("mu"));
    for (k, v) in &m {
        print!("{}:{} ", k, v);
    }
    println!();
    let mut nums: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for i in 0..50i64 {
        nums.entry(i * 7 % 10).or_default().push(i);
    }
    for (k, v) in nums.iter().rev().take(3) {
        println!("bucket {} -> {:?}", k, v);
    }
    let high = nums.split_off(&5);
    println!("low keys {:?} high keys {:?}", nums.keys().collect::<Vec<_>>(), high.keys().collect::<Vec<_>>());
    let mut big = BTreeMap::new();
    for i in 0..1000u32 {
        big.insert(i.wrapping_mul(2654435761) % 100_000, i);
    }
    let mut check = 0u64;
    for (k, v) in big.range(1000..20000) {
        check = check.wrapping_mul(31).wrapping_add(*k as u64 ^ *v as u64);
    }
    println!("big len {} check {}", big.len(), check);
    while big.len() > 10 {
        big.pop_first();
    }
    println!("last ten {:?}", big);

    let mut s: BTreeSet<char> = "mississippi".chars().collect();
    println!("set {:?}", s);
    s.insert('a');
    println!("contains s {} first {:?} last {:?}", s.contains(&'s'), s.first(), s.last());
    let t: BTreeSet<char> = "pistachio".chars().collect();
    println!("inter {:?}", s.intersection(&t).collect::<String>());
    println!("union {:?}", s.union(&t).collect::<String>());
    println!("diff {:?}", s.difference(&t).collect::<String>());
    let above: Vec<_> = t.range('i'..).collect();
    println!("range i.. {:?}", above);
}
