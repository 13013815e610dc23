//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Stacked/Tree Borrows: an array repeat expression written through a pointer made from a
// shared reference is a write the shared reference does not allow (the array is written
// as a whole, in one access). Twin: tests/ui/pass/array_repeat.rs.
#![allow(invalid_reference_casting)]

fn main() {
    let a = [0u32; 16];
    let r = &a;
    let p = r as *const [u32; 16] as *mut [u32; 16];
    unsafe { *p = [5u32; 16] }; //~ ERROR: /write access (using|through) <[0-9]+>/
    let _x = a[0];
}
