// Uninitialized read: an array made by repeating an uninitialized element is uninitialized
// everywhere, also far from the first element. Twin: tests/ui/pass/array_repeat.rs.
use std::mem::MaybeUninit;

fn main() {
    let mut buf = [MaybeUninit::<u32>::uninit(); 64];
    buf[0].write(1);
    let first = unsafe { buf[0].assume_init() };
    assert_eq!(first, 1);
    let _x = unsafe { buf[37].assume_init() }; //~ ERROR: uninitialized
}
