// Padding depends on the variant: `None` of an `Option<&str>` holds no data after the null
// pointer, so those bytes are uninitialized after a typed copy of a `None`.
use std::mem::MaybeUninit;

fn main() {
    let mut slot: MaybeUninit<Option<&'static str>> = MaybeUninit::zeroed();
    let none: Option<&'static str> = unsafe { std::mem::transmute((0usize, 5usize)) };
    unsafe { slot.as_mut_ptr().write_unaligned(none) };
    let bytes = slot.as_ptr() as *const u8;
    let _len_byte = unsafe { *bytes.add(8) }; //~ ERROR: uninitialized
}
