//@revisions: stack tree
//@[tree]compile-flags: -Zvigil-tree-borrows
// Aliasing, linked list: `unlink` takes the node as `&mut Node` but rewires the neighbours through the
// raw `prev`/`next` pointers. In a circular list with one node, the node is its own neighbour, so
// `(*prev).next = ...` writes to the node through a raw pointer while the `&mut Node` argument is
// protected: UB under both models. The correct unlink works with raw pointers only
// (tests/ui/pass/aliasing_linked_list.rs).
use std::ptr;

struct Node {
    val: u32,
    prev: *mut Node,
    next: *mut Node,
}

unsafe fn unlink(node: &mut Node) {
    let prev = node.prev;
    let next = node.next;
    unsafe { (*prev).next = next };
    //~[stack]^ ERROR: which is strongly protected
    //~[tree]^^ ERROR: /write access through .* is forbidden/
    unsafe { (*next).prev = prev };
    node.prev = ptr::null_mut();
    node.next = ptr::null_mut();
}

fn main() {
    let n = Box::into_raw(Box::new(Node { val: 1, prev: ptr::null_mut(), next: ptr::null_mut() }));
    unsafe {
        (*n).prev = n;
        (*n).next = n;
        unlink(&mut *n);
        let node = Box::from_raw(n);
        let _val = node.val;
    }
}
