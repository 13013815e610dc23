// Explicit tail calls (`become`): deep self- and mutual recursion, non-scalar arguments,
// calls through fn pointers and trait objects, and a pointer into the caller's caller
// (still alive) passed along.
#![feature(explicit_tail_calls)]
#![allow(incomplete_features)]

fn sum_to(n: u64, acc: u64) -> u64 {
    if n == 0 { acc } else { become sum_to(n - 1, acc + n) }
}

fn is_even(n: u32) -> bool {
    if n == 0 { true } else { become is_odd(n - 1) }
}

fn is_odd(n: u32) -> bool {
    if n == 0 { false } else { become is_even(n - 1) }
}

fn rotate(v: [u8; 5], times: u32) -> [u8; 5] {
    if times == 0 {
        return v;
    }
    let mut w = v;
    w.rotate_left(1);
    become rotate(w, times - 1)
}

fn via_pointer(n: u64, acc: u64) -> u64 {
    let f: fn(u64, u64) -> u64 = sum_to;
    become f(n, acc)
}

trait Shape {
    fn area(&self) -> f64;
}

struct Square(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

fn area_of(s: &dyn Shape) -> f64 {
    become s.area()
}

fn read_through(p: *const i32, depth: u32) -> i32 {
    if depth == 0 { unsafe { *p } } else { become read_through(p, depth - 1) }
}

fn main() {
    println!("{}", sum_to(20_000, 0));
    println!("{} {}", is_even(5_001), is_odd(5_001));
    println!("{:?}", rotate([1, 2, 3, 4, 5], 7));
    println!("{}", via_pointer(100, 0));
    println!("{}", area_of(&Square(1.5)));
    let x = 17;
    println!("{}", read_through(&x, 30));
}
