// Twin of tests/ui/fail/ptr_*: pointer arithmetic that stays within an allocation or one past its end,
// `offset_from` within one allocation, `wrapping_*` arithmetic that leaves the allocation and comes back,
// and zero-sized accesses and offsets through dangling pointers (all allowed).
use std::ptr::NonNull;

fn main() {
    let a = [10u8, 20, 30, 40];
    let p = a.as_ptr();
    let end = unsafe { p.add(4) };
    let back = unsafe { end.sub(1) };
    println!("last element via end.sub(1): {}", unsafe { *back });
    println!("offset_from within one array: {}", unsafe { end.offset_from(p) });
    let w = p.wrapping_offset(1000).wrapping_offset(-998);
    println!("wrapping arithmetic out and back: {}", unsafe { *w });

    let d: *const u64 = NonNull::dangling().as_ptr();
    let d0 = unsafe { d.add(0) };
    println!("add(0) on a dangling pointer: {}", d0 == d);
    let unit: () = unsafe { NonNull::<()>::dangling().as_ptr().read() };
    println!("zero-sized read through a dangling pointer: {unit:?}");
    let zst = [(); 5];
    let zp = zst.as_ptr();
    println!("add(3) over zero-sized elements stays put: {}", unsafe { zp.add(3) } == zp);
    let empty: &[u32] = unsafe { std::slice::from_raw_parts(NonNull::dangling().as_ptr(), 0) };
    println!("empty slice from a dangling pointer: {empty:?}");
    unsafe { std::ptr::copy_nonoverlapping(d, NonNull::<u64>::dangling().as_ptr(), 0) };
    println!("zero-length copy between dangling pointers");
}
