// HashMap/HashSet with user-defined keys: derived Hash/Eq on structs and enums, a manual Hash/Eq impl (case-insensitive
// key), Borrow-based lookups, tuple keys, a fixed-seed hasher via BuildHasherDefault (iteration printed sorted anyway),
// and the Entry API variants (or_insert_with, or_default, and_modify, Occupied/Vacant matching).
use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Coord {
    x: i32,
    y: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Color {
    Red,
    Green,
    Custom(u8, u8, u8),
}

#[derive(Debug, Clone)]
struct NoCase(String);
impl PartialEq for NoCase {
    fn eq(&self, o: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&o.0)
    }
}
impl Eq for NoCase {}
impl Hash for NoCase {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for b in self.0.bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
    }
}

fn hash_of<T: Hash>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

fn main() {
    let mut grid: HashMap<Coord, char> = HashMap::new();
    for (i, c) in "abcdef".chars().enumerate() {
        grid.insert(Coord { x: i as i32 % 3, y: i as i32 / 3 }, c);
    }
    println!("grid len {} at (1,1) {:?} at (5,5) {:?}", grid.len(), grid.get(&Coord { x: 1, y: 1 }), grid.get(&Coord { x: 5, y: 5 }));
    let mut cells: Vec<_> = grid.iter().collect();
    cells.sort();
    println!("cells {:?}", cells);

    let mut colors: HashMap<Color, u32> = HashMap::new();
    for c in [Color::Red, Color::Green, Color::Red, Color::Custom(1, 2, 3), Color::Custom(1, 2, 3), Color::Custom(3, 2, 1)] {
        *colors.entry(c).or_default() += 1;
    }
    let mut cv: Vec<_> = colors.into_iter().collect();
    cv.sort();
    println!("colors {:?}", cv);

    let mut nc: HashSet<NoCase> = HashSet::new();
    for w in ["Rust", "rust", "RUST", "Miri", "miri", "Vigil"] {
        let fresh = nc.insert(NoCase(w.to_string()));
        println!("insert {:?} fresh {}", w, fresh);
    }
    println!("nocase len {} contains VIGIL {}", nc.len(), nc.contains(&NoCase("VIGIL".into())));
    println!("equal hashes for equal keys {}", hash_of(&NoCase("AbC".into())) == hash_of(&NoCase("aBc".into())));
    println!("DefaultHasher::new is deterministic {}", hash_of(&(1, "x")) == hash_of(&(1, "x")));

    let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
    by_name.insert("alice".to_string(), vec![1]);
    println!("borrowed &str lookup {:?}", by_name.get("alice"));
    by_name.entry("bob".into()).or_insert_with(Vec::new).push(2);
    by_name.entry("alice".into()).and_modify(|v| v.push(3)).or_default();
    for name in ["alice", "carol"] {
        match by_name.entry(name.to_string()) {
            Entry::Occupied(mut e) => {
                e.get_mut().push(99);
                println!("occupied {} -> {:?}", e.key(), e.get());
            }
            Entry::Vacant(e) => {
                println!("vacant {}", e.key());
                e.insert(vec![0]);
            }
        }
    }
    let mut names: Vec<_> = by_name.iter().collect();
    names.sort();
    println!("by_name {:?}", names);
    if let Entry::Occupied(e) = by_name.entry("bob".into()) {
        println!("removed entry {:?}", e.remove_entry());
    }
    println!("len after remove {}", by_name.len());

    let mut fixed: HashMap<(u8, char), i32, BuildHasherDefault<DefaultHasher>> = HashMap::default();
    for i in 0..10u8 {
        fixed.insert((i % 4, (b'a' + i) as char), i as i32 * i as i32);
    }
    let mut fv: Vec<_> = fixed.iter().filter(|(k, _)| k.0 == 1).collect();
    fv.sort();
    println!("tuple keys with k.0 == 1: {:?}", fv);
    let set_a: HashSet<Coord> = (0..5).map(|i| Coord { x: i, y: i * i }).collect();
    let set_b: HashSet<Coord> = (3..8).map(|i| Coord { x: i, y: i * i }).collect();
    let mut common: Vec<_> = set_a.intersection(&set_b).cloned().collect();
    common.sort();
    println!("common coords {:?}", common);
    let mut memo: HashMap<(u64, u64), u64> = HashMap::new();
    fn paths(r: u64, c: u64, memo: &mut HashMap<(u64, u64), u64>) -> u64 {
        if r == 0 || c == 0 {
            return 1;
        }
        if let Some(&v) = memo.get(&(r, c)) {
            return v;
        }
        let v = paths(r - 1, c, memo) + paths(r, c - 1, memo);
        memo.insert((r, c), v);
        v
    }
    println!("grid paths 16x16 {} memo size {}", paths(16, 16, &mut memo), memo.len());
}
