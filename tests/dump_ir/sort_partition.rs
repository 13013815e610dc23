// std's unstable sort partitions with a loop body closure (161 instructions once its own
// callees are inlined, 132 once their copies are propagated) to which the partition passes
// `&mut` to its state.
fn main() {
    let mut v: Vec<u64> = (0..64u64).map(|i| (i * 2_654_435_761) % 1_000).collect();
    v.sort_unstable();
    assert!(v.windows(2).all(|w| w[0] <= w[1]));
    println!("{}", v[31]);
}
