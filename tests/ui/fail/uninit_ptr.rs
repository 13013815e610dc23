// Uninitialized read: a raw pointer from `MaybeUninit::uninit().assume_init()`.
#![allow(invalid_value)]
use std::mem::MaybeUninit;

fn main() {
    let _p: *const u8 = unsafe { MaybeUninit::uninit().assume_init() }; //~ ERROR: uninitialized
}
