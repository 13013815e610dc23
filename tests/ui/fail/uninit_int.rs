// Uninitialized read: an integer from `MaybeUninit::uninit().assume_init()`.
#![allow(invalid_value)]
use std::mem::MaybeUninit;

fn main() {
    let _x: u32 = unsafe { MaybeUninit::uninit().assume_init() }; //~ ERROR: uninitialized
}
