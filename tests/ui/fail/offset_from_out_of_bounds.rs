// `offset_from` needs both pointers inside (or one past the end of) their allocation: a pointer
// moved past the end with `wrapping_add` is not.
fn main() {
    let bytes = [0u8; 2];
    let start = bytes.as_ptr();
    let _d = unsafe { start.wrapping_add(5).offset_from(start) }; //~ ERROR: not in-bounds of an allocation
}
