// Invalid value: an `Option<u16>` (a direct tag, checked where it lies in the registers)
// made by `transmute` from bytes whose tag is neither `None` (0) nor `Some` (1).
fn main() {
    let bytes = [2u16, 7];
    let _o: Option<u16> = unsafe { std::mem::transmute(bytes) }; //~ ERROR: but expected a valid enum tag
}
