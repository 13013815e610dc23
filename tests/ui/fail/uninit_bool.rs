// Uninitialized read: a `bool` from `MaybeUninit::uninit().assume_init()`.
#![allow(invalid_value)]
use std::mem::MaybeUninit;

fn main() {
    let _b: bool = unsafe { MaybeUninit::uninit().assume_init() }; //~ ERROR: uninitialized
}
