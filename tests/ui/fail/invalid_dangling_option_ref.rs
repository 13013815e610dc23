// Invalid value: an `Option<&u32>` made from a raw pointer to freed memory is `Some` of a
// dangling reference (null would be `None`; this is not null).
fn main() {
    let p = Box::into_raw(Box::new(1u32));
    drop(unsafe { Box::from_raw(p) });
    let _r: Option<&u32> = unsafe { std::mem::transmute(p) }; //~ ERROR: constructing invalid value
}
