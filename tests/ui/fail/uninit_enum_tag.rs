// Uninitialized read: an enum whose tag is uninitialized is produced and matched on (same line).
#![allow(invalid_value)]
use std::mem::MaybeUninit;

#[allow(dead_code)]
enum E {
    A,
    B(u8),
    C(u16),
}

fn main() {
    let _n = match unsafe { MaybeUninit::<E>::uninit().assume_init() } { E::A => 0, E::B(_) => 1, E::C(_) => 2 }; //~ ERROR: uninitialized
}
