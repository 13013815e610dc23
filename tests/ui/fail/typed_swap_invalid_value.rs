// `mem::swap` (the `typed_swap_nonoverlapping` intrinsic) reads both places as values of
// their type: swapping a `bool` that holds 3 is undefined behavior even though the bytes
// would only be moved.
fn main() {
    let mut raw = [3u8, 1u8];
    let a = raw.as_mut_ptr() as *mut bool;
    unsafe {
        std::mem::swap(&mut *a, &mut *a.add(1)); //~ ERROR: constructing invalid value
    }
    println!("{raw:?}");
}
