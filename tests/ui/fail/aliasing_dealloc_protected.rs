//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Deallocating memory while a function holds a protected `&mut i32` into it is UB under both
// models (the protector guards the bytes the reference covers until the function returns).
// Twin: tests/ui/pass/aliasing_dealloc_protected.rs (zero-sized and `UnsafeCell` protectors).
use std::alloc::{Layout, alloc, dealloc};

fn free_under_protector(_guard: &mut i32, ptr: *mut u8, layout: Layout) {
    unsafe { dealloc(ptr, layout) };
    //~[stack]^ ERROR: /deallocating while item .* is strongly protected/
    //~[tree]^^ ERROR: /deallocation through .* is forbidden/
}

fn main() {
    let layout = Layout::from_size_align(8, 8).unwrap();
    let ptr = unsafe { alloc(layout) };
    unsafe { ptr.cast::<i32>().write(1) };
    free_under_protector(unsafe { &mut *ptr.cast::<i32>() }, ptr, layout);
}
