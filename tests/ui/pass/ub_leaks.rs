// Twin of tests/ui/fail/leak_*: memory that is forgotten or turned into a raw pointer is taken back and freed
// (`Box::from_raw`, `Vec::from_raw_parts`, `ManuallyDrop::drop`), and an `Rc` cycle is avoided with `Weak`.
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::rc::{Rc, Weak};

struct Node {
    parent: RefCell<Weak<Node>>,
    children: RefCell<Vec<Rc<Node>>>,
}

fn main() {
    let p = Box::into_raw(Box::new(5u32));
    let b = unsafe { Box::from_raw(p) };
    println!("box taken back: {b}");

    let mut v = ManuallyDrop::new(vec![1u32, 2, 3]);
    let (ptr, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
    let v = unsafe { Vec::from_raw_parts(ptr, len, cap) };
    println!("vec taken back: {v:?}");

    let mut m = ManuallyDrop::new(String::from("dropped by hand"));
    println!("{}", *m);
    unsafe { ManuallyDrop::drop(&mut m) };

    let parent = Rc::new(Node { parent: RefCell::new(Weak::new()), children: RefCell::new(Vec::new()) });
    let child = Rc::new(Node { parent: RefCell::new(Weak::new()), children: RefCell::new(Vec::new()) });
    *child.parent.borrow_mut() = Rc::downgrade(&parent);
    parent.children.borrow_mut().push(child.clone());
    println!(
        "tree with a weak back edge: {} children, parent alive: {}",
        parent.children.borrow().len(),
        child.parent.borrow().upgrade().is_some()
    );
}
