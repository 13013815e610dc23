// Uncaught panic: `unwrap()` on None.
fn find(v: &[u32], x: u32) -> Option<usize> {
    v.iter().position(|&y| y == x)
}

fn main() {
    let v = vec![1, 2, 3];
    println!("found 2 at {}", find(&v, 2).unwrap());
    let idx = find(&v, 7).unwrap();
    println!("not reached {}", idx);
}
