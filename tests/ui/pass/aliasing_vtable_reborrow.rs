// A vtable pointer taken apart from a `dyn` pointer and passed through a reference type (here
// `&'static ()`, which gets retagged over zero bytes) still works when put back: the machine's
// reads of a vtable are not accesses of the program, so its borrow tag does not matter. Under
// both aliasing models. (The program's own accesses through retagged pointers stay checked:
// tests/ui/fail/aliasing_shared_ref_write.rs.)
#![feature(ptr_metadata, layout_for_ptr)]

use std::{mem, ptr};

trait Shape {
    fn area(&self) -> u32;
}

impl Shape for [u32; 2] {
    fn area(&self) -> u32 {
        self[0] * self[1]
    }
}

fn rebuild(data: *const (), meta: &'static ()) -> *const dyn Shape {
    ptr::from_raw_parts(data, unsafe { mem::transmute(meta) })
}

fn main() {
    let rect = [3u32, 4];
    let (data, meta) = (&rect as &dyn Shape as *const dyn Shape).to_raw_parts();
    let p = rebuild(data, unsafe { mem::transmute(meta) });
    println!("size {} area {}", unsafe { mem::size_of_val_raw(p) }, unsafe { (*p).area() });
}
