// Invalid value: a `bool` made from the byte 2 by `transmute`.
fn main() {
    let _b: bool = unsafe { std::mem::transmute(2u8) }; //~ ERROR: constructing invalid value
}
