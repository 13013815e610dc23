// Twin of tests/ui/fail/tb_wildcard_multi_exposed.rs: once a reference's writes have disabled
// its exposed children, a write through a wildcard pointer comes from the exposed reference
// above it, which stays usable.
fn main() {
    let mut value = 0u32;
    let outer = &mut value;
    let inner = &mut *outer;
    let left = &mut *inner;
    let _left_addr = left as *mut u32 as usize;
    let right = &mut *inner;
    let right_addr = right as *mut u32 as usize;
    *inner = 1;
    let _outer_addr = outer as *mut u32 as usize;
    let wild = right_addr as *mut u32;
    unsafe { wild.write(2) };
    println!("{}", *outer);
}
