// Invalid value: a reference made from a raw pointer to freed memory (never read).
fn main() {
    let p = Box::into_raw(Box::new(1u32));
    drop(unsafe { Box::from_raw(p) });
    let _r: &u32 = unsafe { std::mem::transmute(p) }; //~ ERROR: constructing invalid value
}
