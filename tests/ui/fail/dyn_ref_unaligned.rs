//@compile-flags: -Zmiri-symbolic-alignment-check
// A `&dyn Trait` must be aligned for the type behind it, whose alignment the vtable gives:
// pointing one at a buffer with less alignment is undefined behavior once the reference
// is made. (Symbolic alignment: the buffer's allocation is only 4-aligned, whatever its
// address happens to be.)
#[repr(align(64))]
#[derive(Debug)]
struct Wide;

fn main() {
    let buf = [0u32; 64];
    let mut r = &Wide as &dyn std::fmt::Debug;
    // Keep the vtable, swap the data pointer for one into the 4-aligned buffer.
    unsafe { (&mut r as *mut _ as *mut *const u32).write(buf.as_ptr().add(1)) };
    let again = &*r; //~ ERROR: required 64 byte alignment
    println!("{again:?}");
}
