// Uninitialized read: a `[u8; 4]` with only its first byte written is read as a `u32`.
use std::mem::MaybeUninit;

fn main() {
    let mut a = MaybeUninit::<[u8; 4]>::uninit();
    unsafe { a.as_mut_ptr().cast::<u8>().write(1) };
    let _x = unsafe { a.as_ptr().cast::<u32>().read_unaligned() }; //~ ERROR: uninitialized
}
