// Uninitialized read: `Vec::set_len` over uninitialized elements, then one element is read (and used on the
// same line: Miri reports the load itself, Vigil may report the first use of the loaded value).
fn main() {
    let mut v: Vec<u32> = Vec::with_capacity(4);
    unsafe { v.set_len(4) };
    let _x = v[2] | 1; //~ ERROR: uninitialized
}
