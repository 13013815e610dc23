// With validation off, an uninitialized integer read through a pointer reaches arithmetic
// on registers: reading it is the error.
//@compile-flags: -Zmiri-disable-validation
use std::mem::MaybeUninit;

fn main() {
    let m = MaybeUninit::<u32>::uninit();
    let p = m.as_ptr();
    let y = unsafe { *p } + 1; //~ ERROR: uninitialized
    println!("{y}");
}
