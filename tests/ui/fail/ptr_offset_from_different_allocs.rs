// `offset_from` between pointers into two different allocations.
fn main() {
    let a = [0u8; 4];
    let b = [0u8; 4];
    let _d = unsafe { b.as_ptr().offset_from(a.as_ptr()) }; //~ ERROR: not both derived from the same allocation
}
