// Invalid value: a `char` made from the surrogate code point 0xD800 by `transmute`.
#![allow(unnecessary_transmutes)]
fn main() {
    let _c: char = unsafe { std::mem::transmute(0xD800u32) }; //~ ERROR: constructing invalid value
}
