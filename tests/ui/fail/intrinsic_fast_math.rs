// Fast-math intrinsics promise finite operands and results: an overflow to infinity is undefined
// behavior. Twin: tests/ui/pass/intrinsics_unchecked_math.rs.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let x = std::hint::black_box(f64::MAX);
    let y = unsafe { std::intrinsics::fmul_fast(x, 2.0) }; //~ ERROR: `fmul_fast` intrinsic produced non-finite value as result
    println!("{y}");
}
