// Rc, Weak, RefCell, Cell: counts, upgrade after drop, borrow/borrow_mut rules via try_borrow, a parent/child tree with
// Weak back-pointers, and drop order printed from Drop impls.
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

struct Node {
    name: String,
    parent: RefCell<Weak<Node>>,
    children: RefCell<Vec<Rc<Node>>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        println!("drop node {}", self.name);
    }
}

fn node(name: &str) -> Rc<Node> {
    Rc::new(Node { name: name.to_string(), parent: RefCell::new(Weak::new()), children: RefCell::new(vec![]) })
}

struct Tracked(u32, Rc<Cell<u32>>);
impl Drop for Tracked {
    fn drop(&mut self) {
        self.1.set(self.1.get() + 1);
        println!("drop tracked {} (total drops {})", self.0, self.1.get());
    }
}

fn main() {
    let a = Rc::new(5);
    let b = Rc::clone(&a);
    println!("strong {} weak {} eq {} ptr_eq {}", Rc::strong_count(&a), Rc::weak_count(&a), a == b, Rc::ptr_eq(&a, &b));
    let w = Rc::downgrade(&a);
    println!("weak count {} upgrade {:?}", Rc::weak_count(&a), w.upgrade());
    drop(a);
    println!("after drop a: strong {}", Rc::strong_count(&b));
    drop(b);
    println!("after drop b: upgrade {:?} strong {}", w.upgrade(), w.strong_count());

    let mut uniq = Rc::new(vec![1, 2]);
    Rc::make_mut(&mut uniq).push(3);
    let shared = Rc::clone(&uniq);
    Rc::make_mut(&mut uniq).push(4);
    println!("make_mut {:?} {:?}", uniq, shared);
    println!("try_unwrap {:?}", Rc::try_unwrap(shared));
    println!("get_mut {:?}", Rc::get_mut(&mut uniq).map(|v| v.len()));

    let cell = Cell::new(10);
    cell.set(cell.get() * 2);
    let old = cell.replace(7);
    println!("cell old {} now {} take {} after {}", old, cell.get(), cell.take(), cell.get());
    let rc = RefCell::new(vec![1]);
    {
        let r1 = rc.borrow();
        let r2 = rc.borrow();
        println!("two shared borrows {} {} try_mut fails {}", r1.len(), r2.len(), rc.try_borrow_mut().is_err());
    }
    rc.borrow_mut().push(2);
    {
        let _m = rc.borrow_mut();
        println!("try_borrow while mut fails {}", rc.try_borrow().is_err());
    }
    println!("refcell {:?}", rc.borrow());
    let shared_vec = Rc::new(RefCell::new(Vec::<String>::new()));
    let writers: Vec<Rc<RefCell<Vec<String>>>> = (0..3).map(|_| Rc::clone(&shared_vec)).collect();
    for (i, wr) in writers.iter().enumerate() {
        wr.borrow_mut().push(format!("w{}", i));
    }
    println!("shared {:?} count {}", shared_vec.borrow(), Rc::strong_count(&shared_vec));
    drop(writers);
    println!("count after {}", Rc::strong_count(&shared_vec));

    let root = node("root");
    for n in ["a", "b"] {
        let child = node(n);
        *child.parent.borrow_mut() = Rc::downgrade(&root);
        root.children.borrow_mut().push(child);
    }
    let first = Rc::clone(&root.children.borrow()[0]);
    println!(
        "child {} parent {:?} root strong {} weak {}",
        first.name,
        first.parent.borrow().upgrade().map(|p| p.name.clone()),
        Rc::strong_count(&root),
        Rc::weak_count(&root)
    );
    drop(root);
    println!("root dropped; first parent alive? {}", first.parent.borrow().upgrade().is_some());
    drop(first);

    let counter = Rc::new(Cell::new(0));
    {
        let _x = Tracked(1, counter.clone());
        let v = vec![Tracked(2, counter.clone()), Tracked(3, counter.clone())];
        let _y = Tracked(4, counter.clone());
        println!("scope end, v len {}", v.len());
    }
    println!("total drops {}", counter.get());

    // a cycle through Rc leaks (never dropped); break it via Weak instead
    let cyc_a = node("cycle-a");
    let cyc_b = node("cycle-b");
    cyc_a.children.borrow_mut().push(cyc_b.clone());
    *cyc_b.parent.borrow_mut() = Rc::downgrade(&cyc_a);
    println!("cycle strong a {} b {}", Rc::strong_count(&cyc_a), Rc::strong_count(&cyc_b));
    println!("end of main");
}
