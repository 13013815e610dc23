// Sorting and searching: sort, sort_unstable, sort_by, sort_by_key, sort_by_cached_key, stability check, reverse,
// binary_search (+ _by, _by_key, partition_point), dedup/dedup_by_key, retain/retain_mut, select_nth_unstable,
// is_sorted, contains, min/max, floats via total_cmp.
#[derive(Debug, Clone)]
struct Person {
    name: &'static str,
    age: u32,
}

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *seed >> 33
}

fn main() {
    let mut v = vec![5, 2, 9, 1, 5, 6, -3, 0];
    v.sort();
    println!("sort {:?} is_sorted {}", v, v.is_sorted());
    v.sort_by(|a, b| b.cmp(a));
    println!("sort desc {:?}", v);
    v.sort_unstable();
    println!("sort_unstable {:?}", v);
    v.sort_by_key(|x: &i32| (x % 3, *x));
    println!("sort_by_key (x%3, x) {:?}", v);
    let mut people = vec![
        Person { name: "ann", age: 30 },
        Person { name: "bob", age: 25 },
        Person { name: "cid", age: 30 },
        Person { name: "dan", age: 25 },
        Person { name: "eve", age: 41 },
    ];
    people.sort_by_key(|p| p.age);
    println!("stable by age: {:?}", people.iter().map(|p| p.name).collect::<Vec<_>>());
    people.sort_by(|a, b| b.age.cmp(&a.age).then_with(|| a.name.cmp(b.name)));
    println!("age desc, name asc: {:?}", people.iter().map(|p| format!("{}:{}", p.name, p.age)).collect::<Vec<_>>());
    let mut words = vec!["banana", "Apple", "cherry", "apple", "Banana"];
    words.sort_by_cached_key(|w| w.to_lowercase());
    println!("cached key {:?}", words);
    words.sort();
    println!("byte order {:?}", words);

    let mut seed = 12345u64;
    let mut big: Vec<u64> = (0..2000).map(|_| lcg(&mut seed) % 1000).collect();
    let mut big2 = big.clone();
    big.sort();
    big2.sort_unstable_by(|a, b| a.cmp(b));
    println!("sorted equal {} min {} max {} median {}", big == big2, big[0], big[big.len() - 1], big[1000]);
    let pos = big.binary_search(&500);
    println!("binary_search 500 found {}", pos.is_ok() && big[pos.unwrap()] == 500);
    println!("partition_point <500: {}", big.partition_point(|&x| x < 500));
    big.dedup();
    println!("dedup len {}", big.len());
    let sorted = [1, 3, 5, 7, 9, 11];
    for t in [0, 1, 6, 7, 12] {
        println!("search {} -> {:?}", t, sorted.binary_search(&t));
    }
    println!("search_by {:?}", sorted.binary_search_by(|x| x.cmp(&9)));
    let pairs = [(1, 'a'), (2, 'b'), (4, 'c')];
    println!("search_by_key {:?} {:?}", pairs.binary_search_by_key(&4, |p| p.0), pairs.binary_search_by_key(&3, |p| p.0));
    let mut d = vec![1, 1, 2, 3, 3, 3, 1, 4, 4];
    d.dedup();
    println!("dedup {:?}", d);
    let mut dk = vec![10, 11, 20, 25, 31, 39, 40];
    dk.dedup_by_key(|x| *x / 10);
    println!("dedup_by_key {:?}", dk);
    let mut ds = vec!["a", "A", "b", "B", "b"];
    ds.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    println!("dedup_by {:?}", ds);
    let mut r: Vec<i32> = (1..=20).collect();
    r.retain(|x| x % 3 != 0);
    println!("retain {:?}", r);
    r.retain_mut(|x| {
        *x *= 2;
        *x < 20
    });
    println!("retain_mut {:?}", r);
    let mut nth = vec![9, 1, 8, 2, 7, 3, 6, 4, 5];
    let (_, m, _) = nth.select_nth_unstable(4);
    println!("select_nth 4 -> {}", m);
    let mut fl = vec![2.5f64, -1.0, f64::INFINITY, 0.0, -0.0, 1e-300];
    fl.sort_by(|a, b| a.total_cmp(b));
    println!("floats {:?}", fl);
    fl.sort_by(|a, b| b.partial_cmp(a).unwrap());
    println!("floats desc {:?}", fl);
    let mut strings: Vec<String> = (0..12).map(|i| format!("item{}", (i * 7) % 12)).collect();
    strings.sort();
    println!("string sort {:?}", strings);
    strings.reverse();
    println!("reversed first {:?}", &strings[..3]);
    let mut arr = [3u8, 1, 2];
    arr.sort_unstable_by_key(|&x| std::cmp::Reverse(x));
    println!("array reverse key {:?}", arr);
    println!("contains {} starts_with {} ends_with {}", sorted.contains(&7), sorted.starts_with(&[1, 3]), sorted.ends_with(&[11]));
    println!("iter min {:?} max {:?}", [4, -2, 8].iter().min(), [4, -2, 8].iter().max());
    let mut tuples = vec![(2, "b"), (1, "z"), (2, "a"), (1, "a")];
    tuples.sort();
    println!("tuples {:?}", tuples);
    let mut chars: Vec<char> = "sorting".chars().collect();
    chars.sort_unstable();
    println!("chars {}", chars.into_iter().collect::<String>());
}
