// Padding depends on the variant: returning `None` of an `Option<u64>` (checked in the
// registers) leaves the payload's bytes uninitialized, whatever they held before.
#[inline(never)]
fn none() -> Option<u64> {
    unsafe { std::mem::transmute([0u64, 5]) }
}

fn main() {
    let n = none();
    let words: [u64; 2] = unsafe { std::mem::transmute(n) }; //~ ERROR: uninitialized
    let _ = words;
}
