// Vec: push/pop/insert/remove/extend/drain/split_off/truncate/capacity-independent checks.
fn main() {
    let mut v: Vec<i32> = Vec::new();
    assert!(v.is_empty());
    for i in 0..10 {
        v.push(i * i);
    }
    println!("v = {:?} len={}", v, v.len());
    assert_eq!(v.pop(), Some(81));
    v.insert(0, -1);
    v.insert(3, 100);
    println!("after insert: {:?}", v);
    let r = v.remove(1);
    println!("removed {} -> {:?}", r, v);
    let s = v.swap_remove(0);
    println!("swap_removed {} -> {:?}", s, v);
    v.extend_from_slice(&[7, 8, 9]);
    v.extend(vec![10, 11].into_iter());
    println!("extended: {:?}", v);
    let drained: Vec<i32> = v.drain(2..5).collect();
    println!("drained {:?} rest {:?}", drained, v);
    let tail = v.split_off(4);
    println!("split_off: head {:?} tail {:?}", v, tail);
    v.truncate(2);
    println!("truncated: {:?}", v);
    v.resize(5, 42);
    println!("resized: {:?}", v);
    v.clear();
    assert_eq!(v.len(), 0);

    let mut w = vec![3u8; 4];
    w[2] = 9;
    println!("w = {:?} contains 9: {} first={:?} last={:?}", w, w.contains(&9), w.first(), w.last());
    w.reverse();
    println!("reversed {:?}", w);
    w.swap(0, 3);
    println!("swapped {:?}", w);

    let mut big = Vec::with_capacity(2);
    for i in 0..1000u64 {
        big.push(i);
    }
    assert!(big.capacity() >= 1000);
    let sum: u64 = big.iter().sum();
    println!("big sum = {}", sum);
    big.shrink_to_fit();
    assert!(big.capacity() >= big.len());

    let nested: Vec<Vec<String>> = (0..3)
        .map(|i| (0..i).map(|j| format!("{}{}", i, j)).collect())
        .collect();
    println!("nested = {:?}", nested);
    let flat = nested.concat();
    println!("concat = {:?}", flat);
    println!("join = {}", flat.join("-"));

    let mut strings = vec![String::from("a"), String::from("bb")];
    strings.iter_mut().for_each(|s| s.push('!'));
    println!("strings = {:?}", strings);
    let cloned = strings.clone();
    assert_eq!(cloned, strings);
    let v2: Vec<i32> = vec![1, 2, 3];
    let v3 = [v2.as_slice(), &[4, 5]].concat();
    println!("v3 = {:?} eq={}", v3, v3 == vec![1, 2, 3, 4, 5]);
    let mut zs: Vec<()> = Vec::new();
    for _ in 0..5 {
        zs.push(());
    }
    println!("zst vec len {}", zs.len());
    let mut dd = vec![1, 2, 3, 4, 5, 6];
    dd.rotate_left(2);
    println!("rotate_left {:?}", dd);
    dd.rotate_right(1);
    println!("rotate_right {:?}", dd);
    let (a, b) = dd.split_at_mut(3);
    a[0] += b[0];
    println!("split_at_mut {:?}", dd);
}
