// Invalid value: a function pointer made from 0 by `transmute` (never called).
#![allow(invalid_value)]
fn main() {
    let _f: fn() = unsafe { std::mem::transmute(0usize) }; //~ ERROR: constructing invalid value
}
