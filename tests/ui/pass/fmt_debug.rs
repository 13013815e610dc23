// Debug formatting: derived Debug for structs/enums/tuples/nested containers, {:#?} pretty printing, manual Debug impls, debug_struct helpers.
#![allow(dead_code)]
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i32,
    y: f64,
}

#[derive(Debug)]
struct Unit;

#[derive(Debug)]
struct Wrapper(u8, &'static str);

#[derive(Debug)]
enum Shape {
    Circle { center: Point, r: f32 },
    Poly(Vec<Point>),
    Empty,
}

struct Secret {
    name: String,
    key: u32,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret").field("name", &self.name).finish_non_exhaustive()
    }
}

struct L(Vec<i32>);
impl fmt::Debug for L {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|x| x * 10)).finish()
    }
}

struct M;
impl fmt::Debug for M {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entry(&"a", &1).entry(&"b", &Unit).finish()?;
        f.write_str(" + ")?;
        f.debug_tuple("T").field(&1).field(&"two").finish()?;
        f.write_str(" + ")?;
        f.debug_set().entry(&'x').finish()
    }
}

fn main() {
    let p = Point { x: 1, y: -2.5 };
    println!("{:?}", p);
    println!("{:#?}", p);
    println!("{:?} {:?}", Unit, Wrapper(7, "seven"));
    println!("{:#?}", Wrapper(7, "sev\"en\n"));
    let shapes = vec![
        Shape::Circle { center: p.clone(), r: 1.5 },
        Shape::Poly(vec![Point { x: 0, y: 0.0 }, Point { x: 3, y: 4.0 }]),
        Shape::Empty,
    ];
    println!("{:?}", shapes);
    println!("{:#?}", shapes);
    let s = Secret { name: "admin".into(), key: 1234 };
    assert_eq!(s.key, 1234);
    println!("{:?}", s);
    println!("{:#?}", s);
    println!("{:?} {:#?}", L(vec![1, 2]), L(vec![3]));
    println!("{:?}", M);
    println!("{:#?}", M);
    let t = (1, "two", 3.0, '4', true, None::<i32>, Some(()));
    println!("{:?}", t);
    println!("{:#?}", (1, ("nested", [1u8, 2])));
    let mut bm = BTreeMap::new();
    bm.insert("k1", vec![Some(1), None]);
    bm.insert("k2", vec![]);
    println!("{:?}", bm);
    println!("{:#?}", bm);
    println!("{:?}", "tab\there \u{7f} \u{e9} \u{200b} quote' \\ \"");
    println!("{:?} {:?} {:?} {:?}", 'a', '\'', '\n', '\u{0}');
    let r: Result<u8, String> = Err("bad".into());
    println!("{:?} {:#?}", r, Ok::<_, ()>(5u8));
    let nested: Vec<Vec<u8>> = vec![vec![], vec![1], vec![2, 3]];
    println!("{:#?}", nested);
    println!("{:>12?}|{:<8?}|", Some(1), "ab");
    let b: Box<[i32]> = vec![1, 2].into_boxed_slice();
    println!("{:?} {:?}", b, std::rc::Rc::new(5));
    println!("{:?}", std::cell::RefCell::new(vec![1]));
    println!("{:?}", std::cell::Cell::new(3));
    println!("{:?}", String::from("own"));
    println!("{:?}", ..3);
    println!("{:?} {:?}", 1..=4, std::cmp::Ordering::Less);
}
