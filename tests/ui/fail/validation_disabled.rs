//@compile-flags: -Zvigil-disable-validation
//@check-pass
// With validation disabled, an invalid `bool` (byte 2) may be created and copied as long as it is never
// used for control flow: the program runs to the end.
#![allow(unnecessary_transmutes)]
fn main() {
    let b: bool = unsafe { std::mem::transmute(2u8) };
    let byte: u8 = unsafe { std::mem::transmute(b) };
    println!("{byte}");
}
