// The `breakpoint` intrinsic traps: the program ends abnormally, as a native one without a
// debugger would (SIGTRAP).
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    println!("before");
    core::intrinsics::breakpoint(); //~ ERROR: trace/breakpoint trap
    println!("after");
}
