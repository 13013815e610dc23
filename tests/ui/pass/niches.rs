// Enum layout and niches: size_of for Option<&T>, Option<Box<T>>, Option<NonZeroU32>, Option<char>, Option<bool>,
// nested Options, enums with data, repr(u8)/repr(C) enums, discriminant values and casts, matching nested enums.
use std::mem::{size_of, size_of_val};
use std::num::{NonZeroU32, NonZeroU8, NonZeroUsize};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dir {
    N,
    E,
    S,
    W,
}

#[repr(u8)]
#[derive(Debug, Clone, Copy)]
enum Code {
    A = 3,
    B = 200,
    C,
}

#[derive(Debug)]
enum Expr {
    Lit(i64),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Var(&'static str),
}

#[derive(Debug)]
enum Inner {
    X(u8),
    Y(bool),
}

#[derive(Debug)]
enum Outer {
    I(Inner),
    Z,
    W(Option<Inner>),
}

fn eval(e: &Expr) -> Option<i64> {
    match e {
        Expr::Lit(n) => Some(*n),
        Expr::Neg(inner) => eval(inner).map(|v| -v),
        Expr::Add(a, b) => Some(eval(a)? + eval(b)?),
        Expr::Var(name) => {
            println!("unbound variable {}", name);
            None
        }
    }
}

fn classify(o: &Outer) -> String {
    match o {
        Outer::I(Inner::X(n)) if *n > 10 => format!("big X {}", n),
        Outer::I(Inner::X(n)) => format!("X {}", n),
        Outer::I(Inner::Y(b)) => format!("Y {}", b),
        Outer::Z => "Z".into(),
        Outer::W(None) => "W none".into(),
        Outer::W(Some(Inner::Y(true))) => "W Y true".into(),
        Outer::W(Some(other)) => format!("W {:?}", other),
    }
}

fn main() {
    println!("&u64 {} Option<&u64> {}", size_of::<&u64>(), size_of::<Option<&u64>>());
    println!("Box<u8> {} Option<Box<u8>> {}", size_of::<Box<u8>>(), size_of::<Option<Box<u8>>>());
    println!("NonZeroU32 {} Option<NonZeroU32> {} u32 {} Option<u32> {}", size_of::<NonZeroU32>(), size_of::<Option<NonZeroU32>>(), size_of::<u32>(), size_of::<Option<u32>>());
    println!("Option<char> {} Option<bool> {} Option<Option<bool>> {}", size_of::<Option<char>>(), size_of::<Option<bool>>(), size_of::<Option<Option<bool>>>());
    println!("Option<Dir> {} Option<Option<Dir>> {} Dir {}", size_of::<Option<Dir>>(), size_of::<Option<Option<Dir>>>(), size_of::<Dir>());
    println!("Option<Vec<u8>> {} Vec<u8> {} Option<String> {}", size_of::<Option<Vec<u8>>>(), size_of::<Vec<u8>>(), size_of::<Option<String>>());
    println!("Option<&[u8]> {} Option<&str> {} Option<Box<dyn Fn()>> {}", size_of::<Option<&[u8]>>(), size_of::<Option<&str>>(), size_of::<Option<Box<dyn Fn()>>>());
    println!("Option<fn()> {} Option<NonZeroUsize> {} Result<NonZeroU8, ()> {}", size_of::<Option<fn()>>(), size_of::<Option<NonZeroUsize>>(), size_of::<Result<NonZeroU8, ()>>());
    println!("Expr {} Outer {} Inner {} Code {} Option<Code> {}", size_of::<Expr>(), size_of::<Outer>(), size_of::<Inner>(), size_of::<Code>(), size_of::<Option<Code>>());
    println!("() {} Option<()> {} [u8;0] {} Option<std::convert::Infallible> {}", size_of::<()>(), size_of::<Option<()>>(), size_of::<[u8; 0]>(), size_of::<Option<std::convert::Infallible>>());

    let x = 5u64;
    let some_ref: Option<&u64> = Some(&x);
    let none_ref: Option<&u64> = None;
    println!("option ref {:?} {:?} copied {:?}", some_ref, none_ref, some_ref.copied());
    let ob: Option<Box<[i32; 3]>> = Some(Box::new([1, 2, 3]));
    if let Some(b) = &ob {
        println!("boxed array sum {}", b.iter().sum::<i32>());
    }
    let nz = NonZeroU32::new(7);
    let z = NonZeroU32::new(0);
    println!("NonZero {:?} {:?} get {}", nz, z, nz.unwrap().get());
    let nzs: Vec<Option<NonZeroU32>> = (0..4).map(NonZeroU32::new).collect();
    println!("nonzeros {:?}", nzs);
    println!("checked_add on nonzero {:?}", NonZeroU8::new(250).unwrap().checked_add(10));

    for d in [Dir::N, Dir::E, Dir::S, Dir::W] {
        println!("{:?} as u8 = {}", d, d as u8);
    }
    println!("codes {} {} {}", Code::A as u8, Code::B as u8, Code::C as i32);
    println!("code debug {:?}", [Code::A, Code::B, Code::C]);
    let dirs: Vec<Option<Dir>> = vec![Some(Dir::S), None, Some(Dir::N)];
    println!("option dirs {:?}", dirs);
    println!("discriminant eq {} {}", std::mem::discriminant(&Dir::N) == std::mem::discriminant(&Dir::N), std::mem::discriminant(&Some(1)) == std::mem::discriminant(&Some(2)));

    let e = Expr::Add(Box::new(Expr::Lit(40)), Box::new(Expr::Neg(Box::new(Expr::Lit(-2)))));
    println!("eval {:?} = {:?}", e, eval(&e));
    let bad = Expr::Add(Box::new(Expr::Lit(1)), Box::new(Expr::Var("y")));
    println!("eval with var {:?}", eval(&bad));
    let outers = [
        Outer::I(Inner::X(3)),
        Outer::I(Inner::X(30)),
        Outer::I(Inner::Y(false)),
        Outer::Z,
        Outer::W(None),
        Outer::W(Some(Inner::Y(true))),
        Outer::W(Some(Inner::X(1))),
    ];
    for o in &outers {
        println!("{}", classify(o));
    }
    let nested: Option<Option<Option<u8>>> = Some(Some(None));
    println!("nested {:?} flatten {:?}", nested, nested.flatten());
    let r: Result<Option<u8>, bool> = Ok(Some(3));
    println!("transpose {:?}", r.transpose());
    println!("size_of_val {} {}", size_of_val(&outers), size_of_val("hello"));
    println!("align_of u64 {} u128 {} (u8, u32) {}", std::mem::align_of::<u64>(), std::mem::align_of::<u128>() >= 8, std::mem::align_of::<(u8, u32)>());
}
