// BinaryHeap: max-heap, Reverse for min-heap, custom Ord, into_sorted_vec, peek_mut.
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

#[derive(Debug, PartialEq, Eq)]
struct Task {
    pri: u32,
    name: &'static str,
}

impl Ord for Task {
    fn cmp(&self, other: &Self) -> Ordering {
        self.pri.cmp(&other.pri).then_with(|| other.name.cmp(self.name))
    }
}
impl PartialOrd for Task {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn main() {
    let mut h = BinaryHeap::new();
    for x in [5, 1, 8, 3, 9, 2, 8] {
        h.push(x);
    }
    println!("len {} peek {:?}", h.len(), h.peek());
    let mut out = vec![];
    while let Some(x) = h.pop() {
        out.push(x);
    }
    println!("popped {:?}", out);
    let mut mh: BinaryHeap<Reverse<i32>> = [5, 1, 8, 3].into_iter().map(Reverse).collect();
    mh.push(Reverse(0));
    print!("min order:");
    while let Some(Reverse(x)) = mh.pop() {
        print!(" {}", x);
    }
    println!();
    let mut tasks = BinaryHeap::new();
    tasks.push(Task { pri: 2, name: "write" });
    tasks.push(Task { pri: 5, name: "deploy" });
    tasks.push(Task { pri: 2, name: "test" });
    tasks.push(Task { pri: 1, name: "rest" });
    if let Some(mut top) = tasks.peek_mut() {
        top.pri = 0;
    }
    while let Some(t) = tasks.pop() {
        println!("{:?}", t);
    }
    let h2: BinaryHeap<u32> = (0..20).map(|i| (i * 37) % 23).collect();
    println!("sorted {:?}", h2.clone().into_sorted_vec());
    let mut a = BinaryHeap::from(vec![1, 2]);
    let mut b = BinaryHeap::from(vec![10, 0]);
    a.append(&mut b);
    println!("appended len {} b empty {} max {:?}", a.len(), b.is_empty(), a.peek());
    // Dijkstra on a small graph
    let edges: Vec<Vec<(usize, u32)>> = vec![
        vec![(1, 4), (2, 1)],
        vec![(3, 1)],
        vec![(1, 2), (3, 5)],
        vec![(4, 3)],
        vec![],
    ];
    let mut dist = vec![u32::MAX; 5];
    let mut pq = BinaryHeap::new();
    dist[0] = 0;
    pq.push(Reverse((0u32, 0usize)));
    while let Some(Reverse((d, u))) = pq.pop() {
        if d > dist[u] {
            continue;
        }
        for &(v, w) in &edges[u] {
            if d + w < dist[v] {
                dist[v] = d + w;
                pq.push(Reverse((dist[v], v)));
            }
        }
    }
    println!("dijkstra {:?}", dist);
}
