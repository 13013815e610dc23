// Invalid value: a value of an uninhabited type (`enum Void {}`) made from `()` by `transmute`.
#![allow(invalid_value, unreachable_code)]
enum Void {}

fn main() {
    let _v: Void = unsafe { std::mem::transmute(()) }; //~ ERROR: constructing invalid value
}
