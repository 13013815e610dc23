// Twin of tests/ui/fail/intrinsic_* and fn_ptr_wrong_signature: the same intrinsics with their preconditions
// met (no overflow, exact division, shift below the bit width, `assume(true)`, disjoint
// `copy_nonoverlapping`, overlapping `ptr::copy`), `unreachable_unchecked` on a path never taken, and a
// function pointer called with its own signature after a round trip through `*const ()`.
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::hint::black_box;
use std::intrinsics;

fn one(x: i32) -> i32 {
    x + 1
}

fn main() {
    let a: u8 = black_box(200);
    let b: u32 = black_box(8);
    unsafe {
        println!("unchecked_add: {}", intrinsics::unchecked_add(a, 55));
        println!("exact_div: {}", intrinsics::exact_div(b, 2));
        println!("unchecked_shl by 31: {:#x}", intrinsics::unchecked_shl(1u32, 31u32));
        intrinsics::assume(black_box(true));
    }
    if black_box(false) {
        unsafe { std::hint::unreachable_unchecked() }
    }

    let mut buf = [1u8, 2, 3, 4, 5, 6];
    let p = buf.as_mut_ptr();
    unsafe { std::ptr::copy_nonoverlapping(p, p.add(3), 3) };
    println!("copy_nonoverlapping: {buf:?}");
    // Printing read `buf` through a new shared reference, which (under Tree Borrows) froze the
    // bytes `p` wrote: write through a fresh pointer.
    let p = buf.as_mut_ptr();
    unsafe { std::ptr::copy(p, p.add(1), 4) };
    println!("overlapping ptr::copy: {buf:?}");

    let erased = one as fn(i32) -> i32 as *const ();
    let f: fn(i32) -> i32 = unsafe { std::mem::transmute(erased) };
    println!("fn pointer round trip: {}", f(41));
}
