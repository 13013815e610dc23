//@ env: VIGILFLAGS=-Zvigil-symbolic-alignment-check
// Twin of tests/ui/fail/align_symbolic: with symbolic alignment checks, a `u32` inside a `[u8; 8]` (alignment
// 1) is read with `read_unaligned`, and a `u32` is read where the allocation itself is 4-aligned.
fn main() {
    let a = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let base = a.as_ptr();
    let off = (4 - base.addr() % 4) % 4;
    let x = unsafe { base.add(off).cast::<u32>().read_unaligned() };
    println!("read_unaligned at an offset of at most 3: {}", x.to_le_bytes().iter().all(|&b| (1..=8).contains(&b)));

    let w = [0x0102_0304u32, 0x0506_0708];
    let wp = w.as_ptr().cast::<u8>();
    println!("aligned u32 in a u32 array: {:#010x}", unsafe { *wp.add(4).cast::<u32>() });
}
