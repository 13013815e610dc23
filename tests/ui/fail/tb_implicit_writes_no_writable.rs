//@check-pass
//@compile-flags: -Zmiri-tree-borrows -Zmiri-tree-borrows-implicit-writes
// With `-Zmiri-tree-borrows-implicit-writes`, a protected `&mut` argument counts as written at
// function entry, so a raw pointer derived from it freezes when a shared reborrow of the parent
// follows; a function marked `#[rustc_no_writable]` (as std marks some) is exempt, and the
// pointer stays writable. Twin: tests/ui/fail/tb_implicit_writes.rs.
#![feature(rustc_attrs)]
#![allow(internal_features)]

struct Buf {
    slots: [u32; 4],
}

impl Buf {
    #[rustc_no_writable]
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
    unsafe { p.write(9) };
    println!("{}", b.first());
}
