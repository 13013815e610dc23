// Closures with no captures called through `&mut` (each call's `&mut self` is a reference to
// a zero-sized value, retagged as just its access while the closure reads and writes other
// memory), and a reference to a zero-sized value used as one: the program behaves as
// natively.
// Twin: tests/ui/fail/aliasing_zst_ref_widened.rs.
fn apply<F: FnMut(u64) -> u64>(f: &mut F, x: u64) -> u64 {
    f(x)
}

fn main() {
    let mut double = |x: u64| x * 2;
    let mut total = 0;
    for i in 0..10 {
        total += apply(&mut double, i);
    }
    let mut v: Vec<(u64, usize)> = (0..50u64).map(|i| (i * 7 % 13, i as usize)).collect();
    v.sort_by_key(|&(k, i)| (k, std::cmp::Reverse(i)));
    let mut x = [0u8; 4];
    let z: &mut [u8; 0] = unsafe { &mut *(x.as_mut_ptr() as *mut [u8; 0]) };
    let n = z.len();
    x[0] = 1;
    println!("{total} {:?} {n} {}", &v[..3], x[0]);
}
