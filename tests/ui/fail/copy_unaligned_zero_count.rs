// `copy_nonoverlapping::<T>` needs both pointers aligned for `T`, even when it copies
// nothing (the intrinsic is called directly, without std's precondition checks).
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let mut words = [0u32; 4];
    let src = [7u32; 2];
    let odd = (words.as_mut_ptr() as *mut u8).wrapping_add(2) as *mut u32;
    unsafe {
        std::intrinsics::copy_nonoverlapping(src.as_ptr(), odd, 0); //~ ERROR: but alignment 4 is required
    }
    println!("{words:?}");
}
