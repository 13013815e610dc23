// `UnsafePinned` opts out of the uniqueness of `&mut`: two `&mut` to a node of an intrusive
// structure (here a node that points to itself) may coexist and both write, even in a type that
// implements `Unpin` by hand. Under both aliasing models. Twin: tests/ui/fail/aliasing_two_mut_args.rs
// (without `UnsafePinned`, the same pattern is UB).
#![feature(unsafe_pinned)]

use std::pin::UnsafePinned;

struct Node {
    value: UnsafePinned<u64>,
}
impl Unpin for Node {}

fn bump_both(a: &mut Node, b: &mut Node) -> u64 {
    unsafe {
        *a.value.get() += 1;
        *b.value.get() += 10;
        *a.value.get() += 100;
        *a.value.get()
    }
}

fn main() {
    let mut node = Node { value: UnsafePinned::new(0) };
    let p = &raw mut node;
    let total = unsafe { bump_both(&mut *p, &mut *p) };
    println!("both writers saw one value: {total}");
}
