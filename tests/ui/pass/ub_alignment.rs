// Twin of tests/ui/fail/align_misaligned_*: unaligned data is read with `read_unaligned`, aligned reads and
// references use offsets that are multiples of the alignment inside a buffer that has that alignment, and
// `align_offset` finds an aligned position.
#[repr(C, align(4))]
struct Buf([u8; 8]);

fn main() {
    let buf = Buf([1, 2, 3, 4, 5, 6, 7, 8]);
    let odd = buf.0.as_ptr().wrapping_add(1).cast::<u32>();
    println!("unaligned read: {:#010x}", unsafe { odd.read_unaligned() });
    let aligned = buf.0.as_ptr().wrapping_add(4).cast::<u32>();
    println!("aligned read: {:#010x}", unsafe { *aligned });
    let r: &u32 = unsafe { &*aligned };
    println!("aligned reference: {:#010x}", *r);

    let words = [0x1111u16, 0x2222, 0x3333];
    let bytes = words.as_ptr().cast::<u8>();
    let off = bytes.align_offset(2);
    println!("align_offset of a u16 array: {off}; value {:#06x}", unsafe { *bytes.add(off).cast::<u16>() });
}
