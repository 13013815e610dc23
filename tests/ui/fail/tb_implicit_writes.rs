//@compile-flags: -Zmiri-tree-borrows -Zmiri-tree-borrows-implicit-writes
// With `-Zmiri-tree-borrows-implicit-writes`, a protected `&mut` argument counts as written at
// function entry, so a raw pointer derived from it freezes when a shared reborrow of the parent
// follows, and the write through the pointer is UB. Twin: tests/ui/fail/tb_implicit_writes_no_writable.rs
// (the same function marked `#[rustc_no_writable]` is exempt).
#![feature(rustc_attrs)]
#![allow(internal_features)]

struct Buf {
    slots: [u32; 4],
}

impl Buf {
    // (Not `#[rustc_no_writable]`.)
    fn as_mut_ptr(&mut self) -> *mut u32 {
        &raw mut self.slots as *mut u32
    }

    fn first(&self) -> u32 {
        self.slots[0]
    }
}

fn main() {
    let mut b = Buf { slots: [1, 2, 3, 4] };
    let p = b.as_mut_ptr();
    let _ = b.first();
    unsafe { p.write(9) }; //~ ERROR: write access through
    println!("{}", b.first());
}
