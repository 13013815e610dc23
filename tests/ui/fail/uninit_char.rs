// Uninitialized read: a `char` from `MaybeUninit::uninit().assume_init()`.
#![allow(invalid_value)]
use std::mem::MaybeUninit;

fn main() {
    let _c: char = unsafe { MaybeUninit::uninit().assume_init() }; //~ ERROR: uninitialized
}
