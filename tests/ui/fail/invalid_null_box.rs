// Invalid value: a null `Box` made by `transmute` (inside `ManuallyDrop`, so it is never dropped).
#![allow(invalid_value)]
use std::mem::ManuallyDrop;

fn main() {
    let _b: ManuallyDrop<Box<u8>> = unsafe { std::mem::transmute(0usize) }; //~ ERROR: /constructing invalid value.*encountered a null box/
}
