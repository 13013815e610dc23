// Generics and trait dispatch: generic structs/functions with bounds, associated types and consts, default generic
// params, blanket impls, operator overloading (Add/Mul/Neg/Index/AddAssign), PartialOrd derive, iterator over a
// generic container, trait static methods, impl Trait args, where clauses, const generics, PhantomData.
use std::collections::HashMap;
use std::fmt::{Debug, Display};
use std::marker::PhantomData;
use std::ops::{Add, AddAssign, Index, Mul, Neg};

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
struct V2<T> {
    x: T,
    y: T,
}

impl<T: Add<Output = T>> Add for V2<T> {
    type Output = V2<T>;
    fn add(self, o: Self) -> Self {
        V2 { x: self.x + o.x, y: self.y + o.y }
    }
}
impl<T: Mul<Output = T> + Copy> Mul<T> for V2<T> {
    type Output = V2<T>;
    fn mul(self, k: T) -> Self {
        V2 { x: self.x * k, y: self.y * k }
    }
}
impl<T: Neg<Output = T>> Neg for V2<T> {
    type Output = Self;
    fn neg(self) -> Self {
        V2 { x: -self.x, y: -self.y }
    }
}
impl<T: AddAssign> AddAssign for V2<T> {
    fn add_assign(&mut self, o: Self) {
        self.x += o.x;
        self.y += o.y;
    }
}

trait Shape {
    const SIDES: u32;
    fn new_unit() -> Self;
    fn area(&self) -> f64;
    fn name(&self) -> String {
        format!("{}-sided", Self::SIDES)
    }
}
struct Square(f64);
struct Tri(f64);
impl Shape for Square {
    const SIDES: u32 = 4;
    fn new_unit() -> Self {
        Square(1.0)
    }
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}
impl Shape for Tri {
    const SIDES: u32 = 3;
    fn new_unit() -> Self {
        Tri(1.0)
    }
    fn area(&self) -> f64 {
        self.0 * self.0 * 0.5
    }
    fn name(&self) -> String {
        "triangle".into()
    }
}
fn unit_area<S: Shape>() -> (String, f64) {
    let s = S::new_unit();
    (s.name(), s.area())
}

trait Container {
    type Item;
    fn items(&self) -> Vec<Self::Item>;
    fn first(&self) -> Option<Self::Item> {
        self.items().into_iter().next()
    }
}
struct Evens(u32);
impl Container for Evens {
    type Item = u32;
    fn items(&self) -> Vec<u32> {
        (0..self.0).map(|x| x * 2).collect()
    }
}
fn sum_all<C>(c: &C) -> u64
where
    C: Container,
    C::Item: Into<u64>,
{
    c.items().into_iter().map(Into::into).sum()
}

trait Describe {
    fn describe(&self) -> String;
}
impl<T: Debug> Describe for T {
    fn describe(&self) -> String {
        format!("<<{:?}>>", self)
    }
}

struct Stack<T, const N: usize> {
    data: [Option<T>; N],
    len: usize,
}
impl<T: Copy + Debug, const N: usize> Stack<T, N> {
    fn new() -> Self {
        Stack { data: [None; N], len: 0 }
    }
    fn push(&mut self, v: T) -> Result<(), T> {
        if self.len == N {
            return Err(v);
        }
        self.data[self.len] = Some(v);
        self.len += 1;
        Ok(())
    }
    fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            None
        } else {
            self.len -= 1;
            self.data[self.len].take()
        }
    }
}
impl<T, const N: usize> Index<usize> for Stack<T, N> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        self.data[i].as_ref().expect("empty slot")
    }
}

struct Meters;
struct Feet;
#[derive(Debug, Clone, Copy)]
struct Length<U> {
    v: f64,
    _u: PhantomData<U>,
}
impl<U> Length<U> {
    fn new(v: f64) -> Self {
        Length { v, _u: PhantomData }
    }
}
impl Length<Feet> {
    fn to_meters(self) -> Length<Meters> {
        Length::new(self.v * 0.3048)
    }
}

fn largest<T: PartialOrd + Copy>(xs: &[T]) -> T {
    let mut m = xs[0];
    for &x in xs {
        if x > m {
            m = x;
        }
    }
    m
}
fn show_all(items: &[impl Display]) -> String {
    items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("|")
}
fn count_by<K: std::hash::Hash + Eq + Ord + Clone, T>(xs: &[T], key: impl Fn(&T) -> K) -> Vec<(K, usize)> {
    let mut m: HashMap<K, usize> = HashMap::new();
    for x in xs {
        *m.entry(key(x)).or_insert(0) += 1;
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort();
    v
}
fn generic_default<T: Default + Debug>() -> String {
    format!("{:?}", T::default())
}

fn main() {
    let a = V2 { x: 1, y: 2 };
    let b = V2 { x: 10, y: 20 };
    let mut c = a + b * 2;
    c += V2 { x: 100, y: 100 };
    println!("ints {:?} neg {:?}", c, -c);
    let f = V2 { x: 0.5, y: -1.5 } * 2.0;
    println!("floats {:?} cmp {:?} {}", f, a.partial_cmp(&b), V2 { x: 1.0, y: f64::NAN } < V2 { x: 1.0, y: 0.0 });
    println!("default {:?}", V2::<u8>::default());
    println!("{:?} {:?}", unit_area::<Square>(), unit_area::<Tri>());
    println!("consts {} {}", Square::SIDES, <Tri as Shape>::SIDES);
    let e = Evens(5);
    println!("evens {:?} first {:?} sum {}", e.items(), e.first(), sum_all(&e));
    println!("blanket {} {}", 5.describe(), "s".describe());
    let mut st: Stack<i32, 3> = Stack::new();
    for i in 0..5 {
        println!("push {} -> {:?}", i, st.push(i * 10));
    }
    println!("index [1] = {}", st[1]);
    let p1 = st.pop();
    let p2 = st.pop();
    println!("pop {:?} pop {:?} len {}", p1, p2, st.len);
    let feet: Length<Feet> = Length::new(10.0);
    println!("10 ft = {:.3} m size {}", feet.to_meters().v, std::mem::size_of::<Length<Meters>>());
    println!("largest {} {} {:?}", largest(&[3, 9, 2]), largest(&[1.5, -2.0]), largest(&['x', 'b']));
    println!("show_all {}", show_all(&[1.5, 2.25]));
    println!("count_by {:?}", count_by(&["aa", "b", "cc", "ddd"], |s| s.len()));
    println!("defaults {} {} {}", generic_default::<Vec<u8>>(), generic_default::<(i32, bool, String)>(), generic_default::<Option<char>>());
    let sums: Vec<V2<i64>> = (0..4).map(|i| V2 { x: i, y: i * i }).collect();
    let total = sums.into_iter().fold(V2::default(), |acc, v| acc + v);
    println!("fold sum {:?}", total);
}
