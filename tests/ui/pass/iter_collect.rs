// collect into many containers: Vec, String, HashMap/HashSet (printed sorted), BTreeMap/BTreeSet, VecDeque, BinaryHeap,
// Box<[T]>, Rc<[T]>, Result<Vec<_>,_>, Option<Vec<_>>, extend, FromIterator for a user type.
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::iter::FromIterator;
use std::rc::Rc;

#[derive(Debug)]
struct Stats {
    n: usize,
    sum: i64,
}

impl FromIterator<i64> for Stats {
    fn from_iter<I: IntoIterator<Item = i64>>(iter: I) -> Self {
        let mut s = Stats { n: 0, sum: 0 };
        for x in iter {
            s.n += 1;
            s.sum += x;
        }
        s
    }
}

fn main() {
    let src = [5, 3, 8, 1, 3, 9, 5];
    let v: Vec<i32> = src.iter().copied().collect();
    println!("vec {:?}", v);
    let s: String = src.iter().map(|d| char::from_digit(*d as u32, 10).unwrap()).collect();
    println!("string {}", s);
    let hs: HashSet<i32> = src.iter().copied().collect();
    let mut hv: Vec<_> = hs.into_iter().collect();
    hv.sort();
    println!("hashset sorted {:?}", hv);
    let hm: HashMap<i32, usize> = src.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let mut hmv: Vec<_> = hm.iter().collect();
    hmv.sort();
    println!("hashmap (last index wins) {:?}", hmv);
    let bm: BTreeMap<&str, usize> = ["b", "a", "c"].iter().map(|s| (*s, s.len())).collect();
    println!("btreemap {:?}", bm);
    let bs: BTreeSet<i32> = src.iter().copied().collect();
    println!("btreeset {:?}", bs);
    let dq: VecDeque<i32> = src.iter().rev().copied().collect();
    println!("vecdeque {:?}", dq);
    let ll: LinkedList<i32> = src.iter().copied().take(3).collect();
    println!("linkedlist {:?}", ll);
    let bh: BinaryHeap<i32> = src.iter().copied().collect();
    println!("heap into_sorted {:?}", bh.into_sorted_vec());
    let bx: Box<[i32]> = src.iter().map(|x| x * 2).collect();
    println!("boxed slice {:?} len {}", bx, bx.len());
    let rc: Rc<[i32]> = src.iter().copied().filter(|x| x % 2 == 1).collect();
    println!("rc slice {:?}", rc);
    let ok: Result<Vec<i32>, std::num::ParseIntError> = "1 2 3".split(' ').map(|s| s.parse()).collect();
    println!("result ok {:?}", ok);
    let bad: Result<Vec<i32>, std::num::ParseIntError> = "1 x 3".split(' ').map(|s| s.parse()).collect();
    println!("result err {:?}", bad.map_err(|e| e.to_string()));
    let some: Option<Vec<u32>> = "123".chars().map(|c| c.to_digit(10)).collect();
    let none: Option<Vec<u32>> = "1a3".chars().map(|c| c.to_digit(10)).collect();
    println!("option {:?} {:?}", some, none);
    let st: Stats = (1..=100i64).collect();
    println!("stats {:?}", st);
    let mut ext = vec![0];
    ext.extend(src.iter().filter(|&&x| x > 5));
    println!("extend {:?}", ext);
    let mut strs = String::from(">");
    strs.extend(["a", "b"].iter().copied());
    strs.extend(vec!['c', 'd']);
    println!("extend string {}", strs);
    let words: Vec<String> = "one two three".split(' ').map(String::from).collect();
    let lens: Vec<usize> = words.iter().map(String::len).collect();
    println!("words {:?} lens {:?}", words, lens);
    let unit: () = (0..3).map(|_| ()).collect();
    println!("unit {:?}", unit);
    let nested: Vec<(usize, Vec<char>)> = words.iter().map(|w| (w.len(), w.chars().rev().collect())).collect();
    println!("nested {:?}", nested);
    let arr: [u8; 4] = core::array::from_fn(|i| (i * i) as u8);
    println!("array from_fn {:?}", arr);
    let mapped = arr.map(|x| x as u32 + 1);
    println!("array map {:?}", mapped);
    let tv: Vec<i32> = Vec::from_iter(1..4);
    println!("from_iter {:?}", tv);
    let cows: Vec<std::borrow::Cow<str>> = vec!["a".into(), String::from("b").into()];
    println!("cows {:?}", cows.concat());
}
