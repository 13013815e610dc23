// Aliasing, linked list (Stacked Borrows only): `unlink` makes `&mut` references to both neighbours. In a
// circular list with a sentinel and one element, both neighbours are the sentinel: creating `next` (a
// Unique retag over the whole `Node`) invalidates `prev`, and the write through `prev` is UB under Stacked
// Borrows. Tree Borrows tracks each byte separately and the two writes touch different fields, so it
// accepts this program.
use std::ptr;

struct Node {
    val: u32,
    prev: *mut Node,
    next: *mut Node,
}

unsafe fn unlink(node: *mut Node) {
    let prev = unsafe { &mut *(*node).prev };
    let next = unsafe { &mut *(*node).next };
    prev.next = next; //~ ERROR: but that tag does not exist in the borrow stack for this location
    next.prev = prev;
}

fn main() {
    let sentinel = Box::into_raw(Box::new(Node { val: 0, prev: ptr::null_mut(), next: ptr::null_mut() }));
    let n = Box::into_raw(Box::new(Node { val: 1, prev: sentinel, next: sentinel }));
    unsafe {
        (*sentinel).next = n;
        (*sentinel).prev = n;
        unlink(n);
        let _vals = (*sentinel).val + (*n).val;
        drop(Box::from_raw(n));
        drop(Box::from_raw(sentinel));
    }
}
