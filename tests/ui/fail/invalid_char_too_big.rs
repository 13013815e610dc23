// Invalid value: a `char` made from 0x110000 (above the last code point) by `transmute`.
#![allow(unnecessary_transmutes)]
fn main() {
    let _c: char = unsafe { std::mem::transmute(0x110000u32) }; //~ ERROR: constructing invalid value
}
