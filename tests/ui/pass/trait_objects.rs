// Trait objects: Box<dyn Trait> in a Vec, &dyn, default methods, supertraits, generic functions vs dyn dispatch,
// trait objects with generic methods via helper traits, dyn Trait in Rc, upcasting to a supertrait.
use std::fmt::Debug;
use std::rc::Rc;

trait Named {
    fn name(&self) -> String;
}

trait Shape: Named + Debug {
    fn area(&self) -> f64;
    fn scale(&mut self, k: f64);
    fn describe(&self) -> String {
        format!("{} with area {:.2}", self.name(), self.area())
    }
}

#[derive(Debug)]
struct Circle {
    r: f64,
}
#[derive(Debug)]
struct Rect {
    w: f64,
    h: f64,
}
#[derive(Debug)]
struct Tagged<T: Debug> {
    tag: T,
    side: f64,
}

impl Named for Circle {
    fn name(&self) -> String {
        "circle".into()
    }
}
impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.r * self.r
    }
    fn scale(&mut self, k: f64) {
        self.r *= k;
    }
}
impl Named for Rect {
    fn name(&self) -> String {
        "rect".into()
    }
}
impl Shape for Rect {
    fn area(&self) -> f64 {
        self.w * self.h
    }
    fn scale(&mut self, k: f64) {
        self.w *= k;
        self.h *= k;
    }
    fn describe(&self) -> String {
        format!("rect {}x{}", self.w, self.h)
    }
}
impl<T: Debug> Named for Tagged<T> {
    fn name(&self) -> String {
        format!("tagged<{:?}>", self.tag)
    }
}
impl<T: Debug> Shape for Tagged<T> {
    fn area(&self) -> f64 {
        self.side * self.side
    }
    fn scale(&mut self, k: f64) {
        self.side *= k;
    }
}

fn total_area(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}
fn static_area<S: Shape + ?Sized>(s: &S) -> f64 {
    s.area()
}
fn name_of(n: &dyn Named) -> String {
    n.name()
}

trait Visitor {
    fn visit(&mut self, x: i32);
}
struct Sum(i64);
struct Collect(Vec<i32>);
impl Visitor for Sum {
    fn visit(&mut self, x: i32) {
        self.0 += x as i64;
    }
}
impl Visitor for Collect {
    fn visit(&mut self, x: i32) {
        if x % 2 == 0 {
            self.0.push(x)
        }
    }
}
fn walk(items: &[i32], vs: &mut [&mut dyn Visitor]) {
    for &i in items {
        for v in vs.iter_mut() {
            v.visit(i);
        }
    }
}

trait Animal {
    fn speak(&self) -> &'static str;
    fn kind(&self) -> &'static str {
        "animal"
    }
}
struct Dog;
struct Cat;
impl Animal for Dog {
    fn speak(&self) -> &'static str {
        "woof"
    }
    fn kind(&self) -> &'static str {
        "dog"
    }
}
impl Animal for Cat {
    fn speak(&self) -> &'static str {
        "meow"
    }
}
impl Drop for Dog {
    fn drop(&mut self) {
        println!("dog dropped");
    }
}

fn main() {
    let mut shapes: Vec<Box<dyn Shape>> = vec![
        Box::new(Circle { r: 1.0 }),
        Box::new(Rect { w: 2.0, h: 3.5 }),
        Box::new(Tagged { tag: ('x', 7u8), side: 1.5 }),
        Box::new(Tagged { tag: "str", side: 2.0 }),
    ];
    for s in &shapes {
        println!("{} | {:?}", s.describe(), s);
    }
    println!("total {:.3}", total_area(&shapes));
    for s in shapes.iter_mut() {
        s.scale(2.0);
    }
    println!("scaled total {:.3}", total_area(&shapes));
    println!("static dispatch {} dyn via generic {}", static_area(&Rect { w: 1.0, h: 2.0 }), static_area(shapes[0].as_ref()));
    let as_named: &dyn Named = shapes[1].as_ref();
    println!("upcast to supertrait: {}", name_of(as_named));
    shapes.sort_by(|a, b| a.area().total_cmp(&b.area()));
    println!("sorted by area: {:?}", shapes.iter().map(|s| s.name()).collect::<Vec<_>>());

    let mut s = Sum(0);
    let mut c = Collect(vec![]);
    walk(&[1, 2, 3, 4, 5, 6], &mut [&mut s, &mut c]);
    println!("visitors sum {} evens {:?}", s.0, c.0);

    let zoo: Vec<Rc<dyn Animal>> = vec![Rc::new(Dog), Rc::new(Cat), Rc::new(Dog)];
    let copy = zoo.clone();
    for a in &zoo {
        println!("{} says {}", a.kind(), a.speak());
    }
    println!("size of &dyn Animal = {} words, Box<dyn Animal> = {} words", std::mem::size_of::<&dyn Animal>() / std::mem::size_of::<usize>(), std::mem::size_of::<Box<dyn Animal>>() / std::mem::size_of::<usize>());
    drop(zoo);
    println!("zoo dropped, copy holds {}", copy.len());
    drop(copy);
    let b: Box<dyn Animal> = Box::new(Dog);
    let r: &dyn Animal = &*b;
    println!("via ref: {}", r.speak());
    println!("end");
}
