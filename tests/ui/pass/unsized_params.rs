// Unsized function parameters (`unsized_fn_params`, which std's `Box<dyn FnOnce>` relies on):
// the argument is passed by reference, and the callee reads, projects and drops it in place.
#![feature(unsized_fn_params)]
#![allow(internal_features)]

fn call(f: dyn FnOnce() -> String) -> String {
    f()
}

fn shout(s: str) -> String {
    s.to_uppercase()
}

fn sum(scale: i32, xs: [i32]) -> i32 {
    xs.iter().map(|x| x * scale).sum()
}

struct Tagged<T: ?Sized> {
    tag: u8,
    data: T,
}

fn describe(t: Tagged<[u16]>) -> String {
    format!("tag {} with {} items, last {:?}", t.tag, t.data.len(), t.data.last())
}

fn main() {
    let name = String::from("vigil");
    let f: Box<dyn FnOnce() -> String> = Box::new(move || format!("hello from {name}"));
    println!("{}", call(*f));
    let s: Box<str> = "unsized".into();
    println!("{}", shout(*s));
    let xs: Box<[i32]> = vec![1, 2, 3, 4].into_boxed_slice();
    println!("{}", sum(10, *xs));
    let t: Box<Tagged<[u16]>> = Box::new(Tagged { tag: 7, data: [5u16, 6, 9] });
    println!("{}", describe(*t));
}
