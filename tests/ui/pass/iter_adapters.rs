// Iterator adapters: map, filter, zip, chain, enumerate, rev, fold, flat_map, take_while, skip_while, skip, step_by,
// peekable, windows, chunks, scan, inspect, cycle+take, min/max_by_key, position, any/all, sum/product, custom Iterator.
struct Fib {
    a: u64,
    b: u64,
}

impl Iterator for Fib {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let r = self.a;
        self.a = self.b;
        self.b += r;
        Some(r)
    }
}

struct Countdown(u32);
impl Iterator for Countdown {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            None
        } else {
            self.0 -= 1;
            Some(self.0 + 1)
        }
    }
}
impl DoubleEndedIterator for Countdown {
    fn next_back(&mut self) -> Option<u32> {
        None
    }
}

fn main() {
    let v: Vec<i32> = (1..=10).collect();
    let sq: Vec<i32> = v.iter().map(|x| x * x).collect();
    println!("map {:?}", sq);
    let ev: Vec<&i32> = v.iter().filter(|x| *x % 2 == 0).collect();
    println!("filter {:?}", ev);
    let z: Vec<(i32, char)> = v.iter().copied().zip("abc".chars()).collect();
    println!("zip {:?}", z);
    let ch: Vec<i32> = (1..3).chain(7..9).chain(std::iter::once(100)).collect();
    println!("chain {:?}", ch);
    for (i, c) in "xyz".chars().enumerate() {
        print!("{}{} ", i, c);
    }
    println!();
    println!("rev {:?}", v.iter().rev().take(3).collect::<Vec<_>>());
    println!("fold {}", v.iter().fold(0i64, |acc, &x| acc * 2 + x as i64));
    println!("rfold {}", v.iter().rfold(String::new(), |acc, x| acc + &x.to_string()));
    let fm: Vec<u32> = (1..4u32).flat_map(|n| (0..n).map(move |k| n * 10 + k)).collect();
    println!("flat_map {:?}", fm);
    let fl: Vec<char> = vec!["ab", "", "cd"].into_iter().flat_map(|s| s.chars()).collect();
    println!("flat_map chars {:?}", fl);
    let flat: Vec<i32> = vec![vec![1], vec![], vec![2, 3]].into_iter().flatten().collect();
    println!("flatten {:?}", flat);
    println!("take_while {:?}", v.iter().take_while(|&&x| x < 5).collect::<Vec<_>>());
    println!("skip_while {:?}", v.iter().skip_while(|&&x| x < 8).collect::<Vec<_>>());
    println!("skip {:?}", v.iter().skip(7).collect::<Vec<_>>());
    println!("step_by {:?}", (0..20).step_by(6).collect::<Vec<_>>());
    println!("rev step_by {:?}", (0..20).rev().step_by(7).collect::<Vec<_>>());
    let mut pk = [1, 1, 2, 3, 3, 3, 4].iter().peekable();
    let mut runs = vec![];
    while let Some(&x) = pk.next() {
        let mut n = 1;
        while pk.peek() == Some(&&x) {
            pk.next();
            n += 1;
        }
        runs.push((x, n));
    }
    println!("runs {:?}", runs);
    let mut pk2 = (1..10).peekable();
    let small: Vec<i32> = std::iter::from_fn(|| pk2.next_if(|&x| x < 4)).collect();
    println!("next_if {:?} then {:?}", small, pk2.next());
    let w: Vec<i32> = v.windows(3).map(|w| w.iter().sum()).collect();
    println!("windows sums {:?}", w);
    let c: Vec<Vec<i32>> = v.chunks(4).map(|c| c.to_vec()).collect();
    println!("chunks {:?}", c);
    println!("chunks_exact rem {:?}", v.chunks_exact(3).remainder());
    println!("rchunks {:?}", v.rchunks(3).next());
    let sc: Vec<i32> = v.iter().scan(0, |s, &x| {
        *s += x;
        Some(*s)
    }).collect();
    println!("scan {:?}", sc);
    let mut seen = vec![];
    let total: i32 = v.iter().inspect(|x| seen.push(**x)).filter(|x| **x > 8).sum();
    println!("inspect total {} seen {}", total, seen.len());
    println!("cycle {:?}", [1, 2, 3].iter().cycle().take(7).collect::<Vec<_>>());
    let words = ["apple", "fig", "banana", "kiwi"];
    println!("max_by_key {:?} min_by_key {:?}", words.iter().max_by_key(|w| w.len()), words.iter().min_by_key(|w| w.len()));
    println!("max_by {:?}", [1.5f64, 3.2, -1.0].iter().copied().max_by(|a, b| a.total_cmp(b)));
    println!("position {:?} rposition {:?}", v.iter().position(|&x| x == 4), v.iter().rposition(|&x| x < 3));
    println!("any {} all {} count {}", v.iter().any(|&x| x > 9), v.iter().all(|&x| x > 0), v.iter().filter(|&&x| x % 3 == 0).count());
    println!("sum {} product {}", v.iter().sum::<i32>(), v.iter().map(|&x| x as u64).product::<u64>());
    println!("find {:?} find_map {:?}", v.iter().find(|&&x| x * x > 30), words.iter().find_map(|w| w.strip_prefix("ba")));
    println!("filter_map {:?}", ["1", "x", "3"].iter().filter_map(|s| s.parse::<i32>().ok()).collect::<Vec<_>>());
    println!("last {:?} nth {:?}", v.iter().last(), v.iter().nth(2));
    println!("fib {:?}", Fib { a: 0, b: 1 }.take(15).collect::<Vec<_>>());
    println!("fib even sum {}", Fib { a: 0, b: 1 }.take_while(|&x| x < 4_000_000).filter(|x| x % 2 == 0).sum::<u64>());
    println!("countdown {:?}", Countdown(5).collect::<Vec<_>>());
    let (small, large): (Vec<i32>, Vec<i32>) = v.iter().partition(|&&x| x < 4);
    println!("partition {:?} {:?}", small, large);
    let (a, b): (Vec<i32>, Vec<char>) = vec![(1, 'a'), (2, 'b')].into_iter().unzip();
    println!("unzip {:?} {:?}", a, b);
    println!("cmp {:?} eq {}", [1, 2].iter().cmp([1, 3].iter()), (0..3).eq([0, 1, 2]));
    println!("successors {:?}", std::iter::successors(Some(1u32), |x| if *x < 100 { Some(x * 3) } else { None }).collect::<Vec<_>>());
    println!("repeat {:?}", std::iter::repeat("ab").take(3).collect::<String>());
    let mut it = v.iter();
    println!("by_ref {:?} rest {}", it.by_ref().take(2).collect::<Vec<_>>(), it.len());
    println!("map_while {:?}", ["1", "2", "x", "4"].iter().map_while(|s| s.parse::<u8>().ok()).collect::<Vec<_>>());
    println!("try_fold {:?}", v.iter().try_fold(0i8, |acc, &x| acc.checked_add(x as i8 * 10)));
    println!("reduce {:?}", v.iter().copied().reduce(|a, b| a.max(b)));
    println!("dedup-ish {:?}", [1, 1, 2].iter().zip([1, 1, 2].iter().skip(1)).filter(|(a, b)| a != b).count());
    let s: String = vec!["a", "b", "c"].iter().rev().cloned().collect::<Vec<_>>().concat();
    println!("concat {}", s);
    println!("sum of f64 {}", [0.5f64, 0.25, 0.125].iter().sum::<f64>());
}
