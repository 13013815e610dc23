// Borrowing patterns: Cow<str> that allocates only when needed, functions returning references tied to inputs,
// structs holding references, iterators over borrowed data, split_at_mut/two mutable halves, NLL reborrows,
// 'static strings, ToOwned and AsRef/Borrow generics.
use std::borrow::{Borrow, Cow};

fn normalize(input: &str) -> Cow<'_, str> {
    if input.contains(char::is_uppercase) || input.contains(' ') {
        Cow::Owned(input.to_lowercase().replace(' ', "_"))
    } else {
        Cow::Borrowed(input)
    }
}

fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() >= b.len() { a } else { b }
}

struct Parser<'src> {
    src: &'src str,
    pos: usize,
}

impl<'src> Parser<'src> {
    fn next_word(&mut self) -> Option<&'src str> {
        let rest = &self.src[self.pos..];
        let rest_trim = rest.trim_start();
        if rest_trim.is_empty() {
            return None;
        }
        let start = self.pos + (rest.len() - rest_trim.len());
        let len = rest_trim.find(' ').unwrap_or(rest_trim.len());
        self.pos = start + len;
        Some(&self.src[start..start + len])
    }
}

struct Highest<'a, T> {
    items: &'a [T],
}
impl<'a, T: PartialOrd> Highest<'a, T> {
    fn get(&self) -> Option<&'a T> {
        let mut best: Option<&'a T> = None;
        for it in self.items {
            if best.map_or(true, |b| it > b) {
                best = Some(it);
            }
        }
        best
    }
}

fn total_len<S: AsRef<str>>(items: &[S]) -> usize {
    items.iter().map(|s| s.as_ref().len()).sum()
}

fn find_key<K: Borrow<str>>(keys: &[K], k: &str) -> bool {
    keys.iter().any(|x| x.borrow() == k)
}

fn main() {
    for s in ["plain", "Has Caps", "with space", "x"] {
        let n = normalize(s);
        let kind = match &n {
            Cow::Borrowed(_) => "borrowed",
            Cow::Owned(_) => "owned",
        };
        println!("{:?} -> {:?} ({})", s, n, kind);
    }
    let mut c: Cow<[i32]> = Cow::Borrowed(&[1, 2, 3]);
    println!("cow slice borrowed? {}", matches!(c, Cow::Borrowed(_)));
    c.to_mut().push(4);
    println!("after to_mut {:?} owned? {}", c, matches!(c, Cow::Owned(_)));
    let owned: Vec<i32> = c.into_owned();
    println!("into_owned {:?}", owned);

    let a = String::from("longer string");
    let res;
    {
        let b = String::from("short");
        res = longest(&a, &b).to_string();
    }
    println!("longest {}", res);
    let mut p = Parser { src: "  the quick  brown fox ", pos: 0 };
    let mut words = vec![];
    while let Some(w) = p.next_word() {
        words.push(w);
    }
    println!("words {:?}", words);
    let data = vec![3.5, 9.25, -1.0];
    let h = Highest { items: &data };
    let top = h.get();
    println!("highest {:?}", top);
    let strs = Highest { items: &["pear", "apple", "zucchini"][..] };
    println!("highest str {:?}", strs.get());

    let mut arr = [1, 2, 3, 4, 5, 6];
    let (left, right) = arr.split_at_mut(3);
    for (l, r) in left.iter_mut().zip(right.iter_mut()) {
        std::mem::swap(l, r);
    }
    println!("swapped halves {:?}", arr);
    let mut v = vec![1, 2, 3];
    let first = &mut v[0];
    *first += 10;
    let len = v.len();
    v.push(len as i32);
    println!("NLL reborrow {:?}", v);
    let mut s = String::from("abc");
    {
        let r = &mut s;
        r.push('d');
        let rr = &mut *r;
        rr.push('e');
        r.push('f');
    }
    println!("reborrows {}", s);
    let statics: Vec<&'static str> = vec!["alpha", "beta"];
    println!("statics {:?} total_len {} {}", statics, total_len(&statics), total_len(&[String::from("xy")]));
    println!("find_key {} {}", find_key(&["a".to_string(), "b".to_string()], "b"), find_key(&["a"], "z"));
    let borrowed: &str = "to own";
    let owned: String = borrowed.to_owned();
    let back: &str = owned.borrow();
    println!("to_owned roundtrip {}", back == borrowed);
    let nested = vec![vec!["x".to_string()], vec!["y".to_string(), "z".to_string()]];
    let refs: Vec<&str> = nested.iter().flatten().map(|s| s.as_str()).collect();
    println!("refs into nested {:?}", refs);
    let mut matrix = vec![vec![0; 3]; 3];
    for (i, row) in matrix.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = i * 3 + j;
        }
    }
    let diag: Vec<&usize> = (0..3).map(|i| &matrix[i][i]).collect();
    println!("diag {:?}", diag);
}
