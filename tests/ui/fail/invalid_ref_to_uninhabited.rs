// Invalid value: a reference to a type with no values (a tuple holding an empty enum) cannot exist,
// even if it points to live, aligned memory.
#![allow(dead_code)]
enum Empty {}

fn main() {
    let x = 7i32;
    let _r: &(i32, Empty) = unsafe { std::mem::transmute(&x) }; //~ ERROR: encountered a reference pointing to uninhabited type (i32, Empty)
}
