// `Option<bool>` stores `None` in the niche of the `bool` (the byte 2): any other byte above 1 is
// not a tag of the enum, and reading the discriminant through a raw pointer is undefined behavior.
fn main() {
    let byte = 9u8;
    let p = &byte as *const u8 as *const Option<bool>;
    let _none = unsafe { matches!(*p, None) }; //~ ERROR: enum value has invalid tag: 0x09
}
