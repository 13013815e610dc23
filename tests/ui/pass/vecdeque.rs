// VecDeque: push/pop at both ends, wrap-around, rotation, make_contiguous, iteration.
use std::collections::VecDeque;

fn main() {
    let mut d: VecDeque<i32> = VecDeque::with_capacity(4);
    for i in 0..4 {
        d.push_back(i);
    }
    d.push_front(-1);
    d.push_front(-2);
    println!("d = {:?} len {}", d, d.len());
    println!("front {:?} back {:?}", d.front(), d.back());
    assert_eq!(d.pop_front(), Some(-2));
    assert_eq!(d.pop_back(), Some(3));
    println!("after pops {:?}", d);
    // force wrap-around
    for i in 10..20 {
        d.push_back(i);
        d.pop_front();
    }
    println!("wrapped {:?}", d);
    println!("d[1] = {} get(10) = {:?}", d[1], d.get(10));
    d.rotate_left(2);
    println!("rotate_left(2) {:?}", d);
    d.rotate_right(1);
    println!("rotate_right(1) {:?}", d);
    let s = d.make_contiguous();
    s.sort();
    println!("sorted contiguous {:?}", s);
    let (a, b) = d.as_slices();
    println!("slices lens {} {}", a.len(), b.len());
    let v: Vec<i32> = d.iter().rev().copied().collect();
    println!("rev {:?}", v);
    d.retain(|&x| x % 2 == 0);
    println!("retain even {:?}", d);
    let mut e: VecDeque<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
    e.insert(1, "w".into());
    let removed = e.remove(2);
    println!("e {:?} removed {:?}", e, removed);
    println!("e now {:?} contains y {}", e, e.contains(&"y".to_string()));
    let mut q = VecDeque::new();
    q.push_back(1u64);
    let mut steps = 0;
    while let Some(x) = q.pop_front() {
        steps += 1;
        if x < 200 {
            q.push_back(x * 2);
            q.push_back(x * 3);
        }
    }
    println!("bfs steps {}", steps);
    d.clear();
    println!("cleared empty={}", d.is_empty());
}
