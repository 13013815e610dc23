// Invalid value: a null reference made by `transmute`.
#![allow(invalid_value)]
fn main() {
    let _r: &u8 = unsafe { std::mem::transmute(0usize) }; //~ ERROR: constructing invalid value
}
