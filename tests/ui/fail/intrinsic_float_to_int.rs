// `float_to_int_unchecked` of a value that does not fit the target type (here 256.0 for `u8`) is
// undefined behavior. Twin: tests/ui/pass/intrinsics_unchecked_math.rs.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let x = std::hint::black_box(256.0f64);
    let v = unsafe { std::intrinsics::float_to_int_unchecked::<f64, u8>(x) }; //~ ERROR: `float_to_int_unchecked` intrinsic called on 256f64 which cannot be represented in target type `u8`
    println!("{v}");
}
