// A `dyn` value at the unsized tail of a `repr(packed)` struct: its alignment (from the vtable) is
// capped at the packing, which decides the tail's offset and the whole value's size and
// alignment; the same value seen sized and unsized has the same layout. Also a packed struct
// with a slice tail: references to it need only the packed alignment.
use std::fmt::Debug;
use std::mem::{align_of_val, size_of_val, ManuallyDrop};
use std::ptr::addr_of;

#[repr(C, packed(2))]
struct Packed<T: ?Sized>(u8, ManuallyDrop<T>);

#[repr(C, packed)]
struct Tight<T: ?Sized>(u8, ManuallyDrop<T>);

#[repr(C, packed)]
struct PackedWords {
    tag: u8,
    words: [u32],
}

fn offset_of_tail<T: ?Sized>(p: &Packed<T>) -> isize {
    unsafe { addr_of!(p.1).cast::<u8>().offset_from(addr_of!(p.0)) }
}

fn main() {
    let p = Packed(7, ManuallyDrop::new(0x1122_3344_5566_7788u64));
    let sized: &Packed<u64> = &p;
    let unsized_: &Packed<dyn Debug> = sized;
    println!("{} {} {}", size_of_val(sized), align_of_val(sized), offset_of_tail(sized));
    println!("{} {} {}", size_of_val(unsized_), align_of_val(unsized_), offset_of_tail(unsized_));
    let t = Tight(1, ManuallyDrop::new(5u32));
    let t: &Tight<dyn Debug> = &t;
    println!("{} {}", size_of_val(t), align_of_val(t));
    let b: Box<Packed<dyn Debug>> = Box::new(Packed(3, ManuallyDrop::new(9u16)));
    println!("{} {}", size_of_val(&*b), align_of_val(&*b));
    // The same bytes seen at every offset: a packed slice-tailed struct may start anywhere.
    let raw = [1u8, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0];
    for start in 0..4 {
        let bytes = &raw[start..start + 9];
        let w: &PackedWords = unsafe { &*(std::ptr::slice_from_raw_parts(bytes.as_ptr(), 2) as *const PackedWords) };
        let first = unsafe { std::ptr::addr_of!(w.words).cast::<u32>().read_unaligned() };
        println!("{} {} {}", w.tag, size_of_val(w), first);
    }
}
