// Copies of zero elements between aligned pointers, byte copies at odd addresses
// (alignment 1), and `write_bytes` of whole elements.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn main() {
    let mut words = [0u32; 4];
    let src = [7u32; 2];
    unsafe {
        std::intrinsics::copy_nonoverlapping(src.as_ptr(), words.as_mut_ptr(), 0);
        std::intrinsics::copy_nonoverlapping(src.as_ptr(), words.as_mut_ptr().add(1), 2);
        let bytes = words.as_mut_ptr() as *mut u8;
        std::intrinsics::copy(bytes.add(4), bytes.add(13), 3);
        std::intrinsics::write_bytes(words.as_mut_ptr().add(3), 0xab, 1);
    }
    println!("{words:x?}");
}
