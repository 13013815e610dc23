// Pointers taken apart and put back together byte by byte keep their provenance: the
// bytes of a pointer carry fragments of it, and the fragments in order are the pointer.
use std::mem::{MaybeUninit, size_of};

/// Copies `T` one byte at a time through `MaybeUninit<u8>` values.
unsafe fn copy_bytewise<T>(dst: *mut T, src: *const T) {
    let (d, s) = (dst.cast::<MaybeUninit<u8>>(), src.cast::<MaybeUninit<u8>>());
    for i in 0..size_of::<T>() {
        let byte = unsafe { s.add(i).read() };
        unsafe { d.add(i).write(byte) };
    }
}

/// Copies in `usize` chunks that do not line up with the pointers inside.
unsafe fn copy_chunked(dst: *mut u8, src: *const u8, len: usize) {
    let (d, s) = (dst.cast::<MaybeUninit<usize>>(), src.cast::<MaybeUninit<usize>>());
    for i in 0..len / size_of::<usize>() {
        let chunk = unsafe { s.add(i).read_unaligned() };
        unsafe { d.add(i).write_unaligned(chunk) };
    }
}

#[derive(Clone, Copy)]
struct Pair<'a> {
    a: &'a u32,
    b: &'a u32,
}

fn main() {
    let (x, y) = (7u32, 9u32);

    // A struct of references, byte by byte.
    let src = Pair { a: &x, b: &y };
    let mut dst = Pair { a: &0, b: &0 };
    unsafe { copy_bytewise(&mut dst, &src) };
    println!("bytewise: {} {}", dst.a, dst.b);

    // Pointers at every misalignment in a buffer, copied in chunks across them.
    let mut buf = [0u8; 128];
    for k in 0..size_of::<usize>() {
        unsafe { buf.as_mut_ptr().add(k * 16 + k).cast::<&u32>().write_unaligned(if k % 2 == 0 { &x } else { &y }) };
    }
    let mut copy = [0u8; 128];
    unsafe { copy_chunked(copy.as_mut_ptr(), buf.as_ptr(), 128) };
    let mut sum = 0;
    for k in 0..size_of::<usize>() {
        let r = unsafe { copy.as_ptr().add(k * 16 + k).cast::<&u32>().read_unaligned() };
        sum += *r;
    }
    println!("chunked: {sum}");

    // A pointer straddling two `MaybeUninit` pointer slots, read as a whole (untyped) copy.
    let mut bytes = [0u8; 16];
    unsafe { bytes.as_mut_ptr().add(4).cast::<&u32>().write_unaligned(&x) };
    let slots = unsafe { bytes.as_ptr().cast::<[MaybeUninit<*const ()>; 2]>().read_unaligned() };
    let back = unsafe { slots.as_ptr().cast::<u8>().add(4).cast::<&u32>().read_unaligned() };
    println!("straddling: {back}");

    // One byte overwritten with the same byte of the same pointer: whole again.
    let mut p: &u32 = &y;
    let raw = &raw mut p as *mut MaybeUninit<u8>;
    unsafe {
        let saved = raw.add(3).read();
        raw.add(3).write(MaybeUninit::new(0));
        raw.add(3).write(saved);
    }
    println!("restored: {p}");

    // Swapping two references bytewise.
    let (mut r1, mut r2) = (&x, &y);
    unsafe {
        std::ptr::swap_nonoverlapping(
            &mut r1 as *mut &u32 as *mut MaybeUninit<u8>,
            &mut r2 as *mut &u32 as *mut MaybeUninit<u8>,
            size_of::<&u32>(),
        )
    };
    println!("swapped: {r1} {r2}");
}
