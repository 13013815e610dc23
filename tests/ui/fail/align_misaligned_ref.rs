// Misaligned reference: `&*(ptr as *const u32)` at an odd address inside a 4-aligned buffer is created
// (never read).
#[repr(C, align(4))]
struct Buf([u8; 8]);

fn main() {
    let buf = Buf([0; 8]);
    let ptr = buf.0.as_ptr().wrapping_add(1);
    let _r: &u32 = unsafe { &*(ptr as *const u32) }; //~ ERROR: alignment
}
