// Uninitialized read: `Vec::set_len` over uninitialized elements, then one element is read.
fn main() {
    let mut v: Vec<u32> = Vec::with_capacity(4);
    unsafe { v.set_len(4) };
    let _x = v[2]; //~ ERROR: uninitialized
}
