// `cttz_nonzero` of zero is undefined behavior. Twin: tests/ui/pass/intrinsics_unchecked_math.rs.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let x = std::hint::black_box(0u32);
    let n = unsafe { std::intrinsics::cttz_nonzero(x) }; //~ ERROR: `cttz_nonzero` called on 0
    println!("{n}");
}
