// Invalid value: a misaligned reference made by `transmute` of a pointer to an odd address inside a
// 4-aligned buffer (never read).
#[repr(C, align(4))]
struct Buf([u8; 8]);

fn main() {
    let buf = Buf([0; 8]);
    let p = buf.0.as_ptr().wrapping_add(1);
    let _r: &u32 = unsafe { std::mem::transmute(p) }; //~ ERROR: constructing invalid value
}
