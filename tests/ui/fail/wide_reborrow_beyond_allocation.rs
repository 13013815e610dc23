// A wide raw pointer whose length reaches past its allocation, reborrowed as a slice
// reference (`&*p`, the wide dereference the interpreter takes without the general place
// path): the new reference must be dereferenceable for its whole length.
// Twin: tests/ui/pass/wide_reborrows.rs.
fn main() {
    let a = [1u8, 2, 3, 4];
    let p: *const [u8] = std::ptr::slice_from_raw_parts(a.as_ptr(), 8);
    let r: &[u8] = unsafe { &*p };
    //~^ ERROR: /constructing invalid value: encountered a dangling reference/
    println!("{}", r.len());
}
