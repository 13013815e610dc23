// A tail call through a transmuted fn pointer is checked like any call: the callee's
// parameter type does not match the argument's.
#![feature(explicit_tail_calls)]
#![allow(incomplete_features)]

fn takes_i64(x: i64) -> i64 { //~ ERROR: calling a function whose parameter #1 has type i64 passing argument of type f64
    x
}

fn forward(x: f64) -> i64 {
    let f: fn(f64) -> i64 = unsafe { std::mem::transmute(takes_i64 as fn(i64) -> i64) };
    become f(x)
}

fn main() {
    println!("{}", forward(1.0));
}
