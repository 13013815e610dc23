// Invalid value: a byte read as an `Option<Ordering>` inside an `Option`, whose outer tag
// says "some" and whose inner tag is no `Ordering`.
use std::cmp::Ordering;

fn main() {
    let b = 5u8;
    let v: Option<Option<Ordering>> = unsafe { std::mem::transmute(b) }; //~ ERROR: constructing invalid value
    println!("{v:?}");
}
