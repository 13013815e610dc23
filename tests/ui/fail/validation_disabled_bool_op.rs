//@compile-flags: -Zmiri-disable-validation
// With validation disabled an invalid `bool` can be made and copied, but using it in an operation
// (here a comparison) is still undefined behavior.
#![allow(unnecessary_transmutes)]
fn main() {
    let b: bool = unsafe { std::mem::transmute(3u8) };
    let copy = b;
    let _same = copy == std::hint::black_box(true); //~ ERROR: interpreting an invalid 8-bit value as a bool
}
