// Twin of tests/ui/fail/oob_*: in-bounds raw-pointer reads of heap, stack and static memory up to the last
// element, unaligned reads that end exactly at the end, one-past-the-end pointers that are never read, and
// slices made by `from_raw_parts` with exactly the allocation's length.
static TABLE: [u8; 4] = [10, 20, 30, 40];

fn main() {
    let v: Vec<u32> = vec![1, 2, 3, 4];
    let p = v.as_ptr();
    let last = unsafe { *p.add(3) };
    let end = unsafe { p.add(4) };
    println!("heap: last {last}, end - start = {}", unsafe { end.offset_from(p) });

    let b = Box::new([7u8; 8]);
    let bp = (&*b as *const [u8; 8]).cast::<u8>();
    let far = bp.wrapping_add(12);
    let back = far.wrapping_sub(5);
    println!("box: byte 7 via wrapping arithmetic = {}", unsafe { *back });

    let a = [1u16, 2, 3, 4];
    let sp = a.as_ptr();
    println!("stack: {}", unsafe { sp.add(3).read() });

    let tp = TABLE.as_ptr();
    println!("static: {}", unsafe { *tp.add(3) });

    let bytes = [1u8, 2, 3, 4, 5];
    let word = unsafe { bytes.as_ptr().add(1).cast::<u32>().read_unaligned() };
    println!("unaligned word ending at the last byte: {word:#010x}");

    let s = unsafe { std::slice::from_raw_parts(v.as_ptr(), v.len()) };
    let tail = unsafe { std::slice::from_raw_parts(v.as_ptr().add(4), 0) };
    println!("slices: {s:?} {tail:?}");
}
