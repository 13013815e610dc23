// Twin of tests/ui/fail/padding_*: the data bytes of values with padding survive typed copies
// (struct fields, the active variant's payload, a union field), and whole-value byte copies keep
// the bytes they copy.
#[repr(C)]
#[derive(Clone, Copy)]
struct Pair(u8, u16);

#[derive(Clone, Copy)]
#[allow(dead_code)]
union Either {
    pair: Pair,
    word: u32,
}

fn main() {
    let p: Pair = unsafe { std::mem::transmute(0x0403_0201u32) };
    let bytes = &p as *const Pair as *const u8;
    println!("{} {}", unsafe { *bytes }, unsafe { *(bytes.add(2) as *const u16) });
    let some: Option<&'static str> = Some("padding");
    let copy = some;
    println!("{copy:?}");
    let e = Either { word: 0x0a0b_0c0d };
    let again = e;
    println!("{:#x}", unsafe { again.word });
    let mut dst = [0u8; 4];
    unsafe { std::ptr::copy_nonoverlapping(&p as *const Pair as *const u8, dst.as_mut_ptr(), 1) };
    println!("{}", dst[0]);
}
