// Intrinsic precondition: `unreachable_unchecked` is reached.
use std::hint::black_box;

fn main() {
    if black_box(true) {
        unsafe { std::hint::unreachable_unchecked() } //~ ERROR: entering unreachable code
    }
}
