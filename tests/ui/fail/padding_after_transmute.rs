// A typed copy does not keep padding: the `Pair` returned by `transmute` has an uninitialized byte
// between its fields, even though the `u32` it was made from had all four initialized.
#[repr(C)]
#[allow(dead_code)]
struct Pair(u8, u16);

fn main() {
    let p: Pair = unsafe { std::mem::transmute(0x0403_0201u32) };
    let bytes = &p as *const Pair as *const u8;
    let _gap = unsafe { *bytes.add(1) }; //~ ERROR: uninitialized
}
