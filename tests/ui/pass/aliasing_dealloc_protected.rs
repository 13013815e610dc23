// Deallocating memory while a function holds a protected reference into it is allowed where the
// protector guards nothing: a zero-sized `&mut ()`, or a `&UnsafeCell` (whose bytes a deallocation
// may take away, as `Box::from_raw` of a cell's pointer does). Under both aliasing models. Twin:
// tests/ui/fail/aliasing_dealloc_protected.rs (a protected `&mut i32` does forbid it).
use std::alloc::{Layout, alloc, dealloc};
use std::cell::UnsafeCell;

fn free_under_zst_protector(_guard: &mut (), ptr: *mut u8, layout: Layout) {
    unsafe { dealloc(ptr, layout) };
}

fn free_cell(cell: &UnsafeCell<i32>) -> i32 {
    let b: Box<i32> = unsafe { Box::from_raw(cell.get()) };
    *b
}

fn main() {
    let layout = Layout::from_size_align(8, 8).unwrap();
    let ptr = unsafe { alloc(layout) };
    free_under_zst_protector(unsafe { &mut *ptr.cast::<()>() }, ptr, layout);
    println!("freed under a zero-sized protector");

    let b = Box::new(UnsafeCell::new(41));
    let v = free_cell(unsafe { &*Box::into_raw(b) });
    println!("freed a cell through its own reference: {}", v + 1);
}
