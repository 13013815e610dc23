//@ env: VIGILFLAGS=-Zvigil-symbolic-alignment-check
// With symbolic alignment checks, `align_offset` and `align_to` answer from the address, as
// core computes them, and then promise the alignment they found: the middle part asked for
// more alignment than the allocation has is usable.
#[repr(align(8))]
#[derive(Clone, Copy)]
struct Align8(u64);

fn main() {
    let d = Box::new([7u32; 4]);
    let bytes = unsafe { std::slice::from_raw_parts(d.as_ptr().cast::<u8>(), 16) };
    let (head, mid, tail) = unsafe { bytes.align_to::<Align8>() };
    assert_eq!(head.len() + mid.len() * 8 + tail.len(), 16);
    assert!(!mid.is_empty());
    println!("the middle holds {}", mid[0].0 & 0xffff_ffff);

    // `str::from_utf8` reads words at the offset `align_offset` gives.
    let v = vec![0x4141_4141_4141_4141u64; 3];
    let s = unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), 24) };
    println!("{}", std::str::from_utf8(s).unwrap());

    let p = d.as_ptr().cast::<u8>();
    let off = p.wrapping_add(1).align_offset(4);
    println!("align_offset from one past a 4-aligned address: {off}");
}
