// `slice::from_raw_parts` with a length that overruns the allocation (5 elements over a 4-element `Vec`):
// creating the slice is the UB (a reference must be dereferenceable for its whole length), even unread.
fn main() {
    let v: Vec<u8> = vec![1, 2, 3, 4];
    let p = v.as_ptr();
    let _s: &[u8] = unsafe { std::slice::from_raw_parts(p, 5) }; //~ ERROR: constructing invalid value
}
