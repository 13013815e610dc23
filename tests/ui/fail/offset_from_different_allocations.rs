// `offset_from` between two different pointers requires both to be derived from the same
// allocation: two pointers without provenance (made from integers) are not.
fn main() {
    let a = std::ptr::without_provenance::<u8>(64);
    let b = std::ptr::without_provenance::<u8>(72);
    assert_eq!(unsafe { a.offset_from(a) }, 0);
    let _d = unsafe { b.offset_from(a) }; //~ ERROR: not both derived from the same allocation
}
