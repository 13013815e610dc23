//@compile-flags: -Zmiri-disable-validation
// With validation disabled an invalid `char` (a surrogate code point) can be made, but casting it
// to an integer reads it as a `char`: undefined behavior.
#![allow(unnecessary_transmutes)]
fn main() {
    let c: char = unsafe { std::mem::transmute(0xD800u32) };
    let _code = c as u32; //~ ERROR: interpreting an invalid 32-bit value as a char
}
