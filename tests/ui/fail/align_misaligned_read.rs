// Misaligned access: a `u32` is read through a pointer at an odd address inside a 4-aligned buffer.
#[repr(C, align(4))]
struct Buf([u8; 8]);

fn main() {
    let buf = Buf([0; 8]);
    let p = buf.0.as_ptr().wrapping_add(1).cast::<u32>();
    let _x = unsafe { *p }; //~ ERROR: alignment
}
