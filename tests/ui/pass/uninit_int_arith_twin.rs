// The twin of fail/uninit_int_arith: the same arithmetic on an initialized integer read
// through a pointer, with validation off.
//@ vigil-flags: -Zmiri-disable-validation
use std::mem::MaybeUninit;

fn main() {
    let m = MaybeUninit::<u32>::new(41);
    let p = m.as_ptr();
    let y = unsafe { *p } + 1;
    println!("{y}");
}
