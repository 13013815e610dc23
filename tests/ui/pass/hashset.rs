// HashSet with the default hasher: set algebra printed after sorting.
use std::collections::HashSet;

fn sorted<T: Ord + Clone>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = it.collect();
    v.sort();
    v
}

fn main() {
    let a: HashSet<i32> = (1..=10).collect();
    let b: HashSet<i32> = (5..=15).step_by(2).collect();
    println!("a len {} b len {}", a.len(), b.len());
    println!("union {:?}", sorted(a.union(&b).copied()));
    println!("intersection {:?}", sorted(a.intersection(&b).copied()));
    println!("difference {:?}", sorted(a.difference(&b).copied()));
    println!("sym diff {:?}", sorted(a.symmetric_difference(&b).copied()));
    println!("subset {} disjoint {}", a.is_subset(&b), a.is_disjoint(&b));
    let mut s = HashSet::new();
    println!("insert x {}", s.insert("x".to_string()));
    println!("insert x again {}", s.insert("x".to_string()));
    println!("insert y {}", s.insert("y".to_string()));
    println!("contains x {} contains z {}", s.contains("x"), s.contains("z"));
    println!("remove y {} remove y {}", s.remove("y"), s.remove("y"));
    println!("len {}", s.len());
    let words = "a b c a b d e a".split(' ');
    let uniq: HashSet<&str> = words.collect();
    println!("unique words {:?}", sorted(uniq.iter().copied()));
    let mut seen = HashSet::new();
    let dups: Vec<i32> = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        .iter()
        .copied()
        .filter(|x| !seen.insert(*x))
        .collect();
    println!("dups in order {:?}", dups);
    let chars: HashSet<char> = "hello world".chars().filter(|c| c.is_alphabetic()).collect();
    println!("distinct letters {}", chars.len());
    let tuples: HashSet<(i32, i32)> = (0..20).map(|i| (i % 4, i % 3)).collect();
    println!("distinct pairs {}", tuples.len());
}
