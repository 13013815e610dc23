// Invalid value: a `NonNull` made from a null pointer (passed by value in registers).
use std::ptr::NonNull;

fn keep(p: NonNull<u8>) -> NonNull<u8> {
    p
}

fn main() {
    let p: NonNull<u8> = unsafe { std::mem::transmute(std::ptr::null_mut::<u8>()) }; //~ ERROR: constructing invalid value
    keep(p);
}
