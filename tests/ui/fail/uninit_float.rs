// Uninitialized read: a float from `MaybeUninit::uninit().assume_init()`.
#![allow(invalid_value)]
use std::mem::MaybeUninit;

fn main() {
    let _x: f64 = unsafe { MaybeUninit::uninit().assume_init() }; //~ ERROR: uninitialized
}
