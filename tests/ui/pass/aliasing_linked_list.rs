// Twin of tests/ui/fail/aliasing_list_unlink*.rs: a circular doubly linked list with a sentinel, linked by
// raw pointers made from `Box::into_raw`; `unlink` rewires the neighbours through raw pointers only, which
// is correct even when both neighbours are the same node (the sentinel) or the node is alone.
use std::ptr;

struct Node {
    val: u32,
    prev: *mut Node,
    next: *mut Node,
}

fn new_node(val: u32) -> *mut Node {
    Box::into_raw(Box::new(Node { val, prev: ptr::null_mut(), next: ptr::null_mut() }))
}

unsafe fn push_back(sentinel: *mut Node, val: u32) -> *mut Node {
    let n = new_node(val);
    unsafe {
        let last = (*sentinel).prev;
        (*n).prev = last;
        (*n).next = sentinel;
        (*last).next = n;
        (*sentinel).prev = n;
    }
    n
}

unsafe fn unlink(node: *mut Node) {
    unsafe {
        let prev = (*node).prev;
        let next = (*node).next;
        (*prev).next = next;
        (*next).prev = prev;
        (*node).prev = node;
        (*node).next = node;
    }
}

unsafe fn collect(sentinel: *mut Node) -> Vec<u32> {
    let mut out = Vec::new();
    unsafe {
        let mut cur = (*sentinel).next;
        while cur != sentinel {
            out.push((*cur).val);
            cur = (*cur).next;
        }
    }
    out
}

fn main() {
    let sentinel = new_node(0);
    unsafe {
        (*sentinel).prev = sentinel;
        (*sentinel).next = sentinel;
        let nodes: Vec<*mut Node> = (1..=4).map(|v| push_back(sentinel, v)).collect();
        println!("list: {:?}", collect(sentinel));
        unlink(nodes[1]);
        unlink(nodes[3]);
        println!("after unlinking 2 and 4: {:?}", collect(sentinel));
        unlink(nodes[0]);
        println!("after unlinking 1: {:?}", collect(sentinel));
        // One element left: both of its neighbours are the sentinel.
        unlink(nodes[2]);
        println!("after unlinking 3: {:?}", collect(sentinel));
        // A node alone is its own neighbour.
        unlink(nodes[2]);
        for n in nodes {
            drop(Box::from_raw(n));
        }
        drop(Box::from_raw(sentinel));
    }
    println!("freed");
}
