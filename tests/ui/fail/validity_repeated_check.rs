// Invalid value: a `NonZero` made by `transmute` in a loop. Each round's value passes the
// check once, its copies again with unchanged bytes (checks Vigil may skip); the value of
// the last round is 0, and its first check must still fail there.
use std::num::NonZero;

fn non_zero(x: u32) -> NonZero<u32> {
    unsafe { std::mem::transmute(x) } //~ ERROR: constructing invalid value
}

fn main() {
    let mut total = 0;
    for i in (0..3u32).rev() {
        let n = non_zero(i);
        let copy = n;
        total += copy.get();
    }
    println!("{total}");
}
