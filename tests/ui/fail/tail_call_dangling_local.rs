// `become` pops the caller's frame before the callee runs: a pointer to one of its locals
// dangles in the callee.
#![feature(explicit_tail_calls)]
#![allow(incomplete_features)]

fn read(p: *const i32) -> i32 {
    unsafe { *p } //~ ERROR: has been freed, so this pointer is dangling
}

fn forward(_unused: *const i32) -> i32 {
    let local = 5;
    let p = &raw const local;
    become read(p)
}

fn main() {
    println!("{}", forward(std::ptr::null()));
}
