// Bench (f): reference-heavy: a singly linked list of boxed nodes traversed through shared references,
// updated through mutable references, and slices iterated by reference (windows, chunks, zip, binary search);
// prints a checksum.
struct Node {
    val: u64,
    next: Option<Box<Node>>,
}

fn sum_list(mut cur: Option<&Node>) -> u64 {
    let mut s = 0;
    while let Some(n) = cur {
        s += n.val;
        cur = n.next.as_deref();
    }
    s
}

fn bump_all(mut cur: Option<&mut Box<Node>>, k: u64) {
    while let Some(n) = cur {
        n.val += k;
        cur = n.next.as_mut();
    }
}

fn max_ref(items: &[u64]) -> &u64 {
    let mut best = &items[0];
    for x in items {
        if x > best {
            best = x;
        }
    }
    best
}

fn main() {
    let mut head: Option<Box<Node>> = None;
    for i in 0..5_000u64 {
        head = Some(Box::new(Node { val: i * 7 % 1000, next: head }));
    }
    let mut check = 0u64;
    for k in 0..10 {
        bump_all(head.as_mut(), k);
        check = check.wrapping_mul(31).wrapping_add(sum_list(head.as_deref()));
    }
    let data: Vec<u64> = (0..6_000u64).map(|i| (i * 2654435761) % 100_000).collect();
    let refs: Vec<&u64> = data.iter().filter(|x| **x % 3 == 0).collect();
    let wsum: u64 = data.windows(4).map(|w| w[0] ^ w[3]).sum();
    let csum: u64 = data.chunks(16).map(|c| *max_ref(c)).sum();
    let zsum: u64 = data.iter().zip(data.iter().skip(1)).map(|(a, b)| a.max(b) - a.min(b)).sum();
    let mut sorted = data.clone();
    sorted.sort_unstable();
    let found = data.iter().take(600).filter(|x| sorted.binary_search(x).is_ok()).count();
    check = check.wrapping_add(refs.len() as u64).wrapping_add(wsum).wrapping_add(csum).wrapping_add(zsum).wrapping_add(found as u64);
    // drop the list iteratively (a recursive drop of 5,000 boxes is fine natively but deep for interpreters)
    let mut cur = head.take();
    while let Some(mut n) = cur {
        cur = n.next.take();
    }
    println!("checksum {}", check);
}
