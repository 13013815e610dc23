// Recursive data structures with Box: a singly linked stack (push/pop/peek/reverse/iter/iter_mut/into_iter and an
// iterative Drop to avoid deep recursion), a binary search tree with insert/contains/in-order traversal/height,
// and std::collections::LinkedList.
use std::collections::LinkedList;

struct Node<T> {
    val: T,
    next: Option<Box<Node<T>>>,
}

struct Stack<T> {
    head: Option<Box<Node<T>>>,
    len: usize,
}

impl<T> Stack<T> {
    fn new() -> Self {
        Stack { head: None, len: 0 }
    }
    fn push(&mut self, val: T) {
        let old = self.head.take();
        self.head = Some(Box::new(Node { val, next: old }));
        self.len += 1;
    }
    fn pop(&mut self) -> Option<T> {
        self.head.take().map(|n| {
            self.head = n.next;
            self.len -= 1;
            n.val
        })
    }
    fn peek(&self) -> Option<&T> {
        self.head.as_deref().map(|n| &n.val)
    }
    fn peek_mut(&mut self) -> Option<&mut T> {
        self.head.as_deref_mut().map(|n| &mut n.val)
    }
    fn reverse(&mut self) {
        let mut prev: Option<Box<Node<T>>> = None;
        let mut cur = self.head.take();
        while let Some(mut n) = cur {
            cur = n.next.take();
            n.next = prev;
            prev = Some(n);
        }
        self.head = prev;
    }
    fn iter(&self) -> Iter<'_, T> {
        Iter { next: self.head.as_deref() }
    }
    fn iter_mut(&mut self) -> IterMut<'_, T> {
        IterMut { next: self.head.as_deref_mut() }
    }
}

impl<T> Drop for Stack<T> {
    fn drop(&mut self) {
        let mut cur = self.head.take();
        while let Some(mut n) = cur {
            cur = n.next.take();
        }
    }
}

struct Iter<'a, T> {
    next: Option<&'a Node<T>>,
}
impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        self.next.map(|n| {
            self.next = n.next.as_deref();
            &n.val
        })
    }
}
struct IterMut<'a, T> {
    next: Option<&'a mut Node<T>>,
}
impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;
    fn next(&mut self) -> Option<&'a mut T> {
        self.next.take().map(|n| {
            self.next = n.next.as_deref_mut();
            &mut n.val
        })
    }
}
struct IntoIter<T>(Stack<T>);
impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.0.pop()
    }
}
impl<T> IntoIterator for Stack<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter(self)
    }
}

#[derive(Debug)]
enum Tree {
    Leaf,
    Node(Box<Tree>, i32, Box<Tree>),
}

impl Tree {
    fn insert(self, v: i32) -> Tree {
        match self {
            Tree::Leaf => Tree::Node(Box::new(Tree::Leaf), v, Box::new(Tree::Leaf)),
            Tree::Node(l, x, r) => {
                if v < x {
                    Tree::Node(Box::new(l.insert(v)), x, r)
                } else if v > x {
                    Tree::Node(l, x, Box::new(r.insert(v)))
                } else {
                    Tree::Node(l, x, r)
                }
            }
        }
    }
    fn contains(&self, v: i32) -> bool {
        match self {
            Tree::Leaf => false,
            Tree::Node(l, x, r) => v == *x || if v < *x { l.contains(v) } else { r.contains(v) },
        }
    }
    fn in_order(&self, out: &mut Vec<i32>) {
        if let Tree::Node(l, x, r) = self {
            l.in_order(out);
            out.push(*x);
            r.in_order(out);
        }
    }
    fn height(&self) -> usize {
        match self {
            Tree::Leaf => 0,
            Tree::Node(l, _, r) => 1 + l.height().max(r.height()),
        }
    }
}

fn main() {
    let mut s = Stack::new();
    for i in 1..=5 {
        s.push(i * 10);
    }
    println!("len {} peek {:?}", s.len, s.peek());
    if let Some(top) = s.peek_mut() {
        *top += 1;
    }
    println!("pop {:?} pop {:?}", s.pop(), s.pop());
    println!("iter {:?}", s.iter().collect::<Vec<_>>());
    for v in s.iter_mut() {
        *v *= 2;
    }
    s.reverse();
    println!("doubled+reversed {:?}", s.iter().collect::<Vec<_>>());
    println!("into_iter {:?}", s.into_iter().collect::<Vec<_>>());
    let mut big = Stack::new();
    for i in 0..5000u32 {
        big.push(i);
    }
    println!("big len {} sum {}", big.len, big.iter().map(|&x| x as u64).sum::<u64>());
    drop(big);
    println!("big dropped iteratively");
    let mut strs: Stack<String> = Stack::new();
    strs.push("a".into());
    strs.push("b".into());
    println!("string stack {:?}", strs.iter().cloned().collect::<Vec<_>>().join(""));

    let mut t = Tree::Leaf;
    let mut seed = 7u32;
    for _ in 0..30 {
        seed = seed.wrapping_mul(1103515245).wrapping_add(12345) % 1000;
        t = t.insert(seed as i32);
    }
    let mut out = vec![];
    t.in_order(&mut out);
    println!("bst in-order {:?}", out);
    println!("height {} contains {} {}", t.height(), t.contains(out[3]), t.contains(1001));
    let small = Tree::Leaf.insert(2).insert(1).insert(3);
    println!("small {:?}", small);

    let mut ll: LinkedList<&str> = LinkedList::new();
    ll.push_back("b");
    ll.push_front("a");
    ll.push_back("c");
    println!("LinkedList {:?} front {:?} back {:?}", ll, ll.front(), ll.back());
    let mut tail = ll.split_off(1);
    tail.push_back("d");
    ll.append(&mut tail);
    println!("after split/append {:?} len {} contains c {}", ll, ll.len(), ll.contains(&"c"));
    println!("pop_back {:?} pop_front {:?} rev {:?}", ll.pop_back(), ll.pop_front(), ll.iter().rev().collect::<Vec<_>>());
}
