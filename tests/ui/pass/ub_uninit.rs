// Twin of tests/ui/fail/uninit_*: uninitialized bytes are created and copied around (inside `MaybeUninit`,
// through a union, with `ptr::copy`, as a struct's padding) but only initialized bytes are ever read as
// values; `Vec::set_len` only covers elements that were written.
use std::mem::MaybeUninit;

#[repr(C)]
#[derive(Clone, Copy)]
struct Padded {
    a: u8,
    b: u32,
}

#[derive(Clone, Copy)]
union Bits {
    word: u32,
    byte: u8,
}

fn main() {
    let m: MaybeUninit<u64> = MaybeUninit::uninit();
    let copies = [m; 3];
    println!("uninitialized MaybeUninit copied {} times", copies.len());

    let mut arr = [MaybeUninit::<u32>::uninit(); 4];
    for (i, slot) in arr.iter_mut().enumerate() {
        slot.write(i as u32 * 10);
    }
    let arr: [u32; 4] = unsafe { std::mem::transmute(arr) };
    println!("initialized in place: {arr:?}");

    let u = Bits { byte: 7 };
    let u2 = u;
    println!("union copied with 3 uninitialized bytes; the written byte: {}", unsafe { u2.byte });
    let full = Bits { word: 0x0102_0304 };
    println!("union read through the field that was written: {:#x}", unsafe { full.word });

    let src = [MaybeUninit::<u8>::uninit(); 8];
    let mut dst = [MaybeUninit::<u8>::new(1); 8];
    unsafe { std::ptr::copy(src.as_ptr(), dst.as_mut_ptr(), 8) };
    dst[3].write(42);
    println!("ptr::copy of uninitialized bytes, then one written: {}", unsafe { dst[3].assume_init() });

    let p = Padded { a: 1, b: 2 };
    let q = p;
    println!("struct with padding copied: {} {}", q.a, q.b);

    let mut v: Vec<u32> = Vec::with_capacity(4);
    for (i, slot) in v.spare_capacity_mut().iter_mut().take(3).enumerate() {
        slot.write(i as u32 + 100);
    }
    unsafe { v.set_len(3) };
    println!("set_len over written elements: {v:?}");
}
