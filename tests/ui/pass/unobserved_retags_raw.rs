// Read-only raw reborrows (`&raw const *r`) of shared references: `<[T]>::len` takes one to
// read the length, and a reference's reborrow read through is as the reference. Fine under
// both aliasing models.
#[inline(never)]
fn total(xs: &[u32]) -> u64 {
    let mut s = 0u64;
    for i in 0..xs.len() {
        s += xs[i] as u64;
    }
    s + xs.iter().len() as u64
}

#[inline(never)]
fn through_raw(r: &u64) -> u64 {
    let p = &raw const *r;
    let v = unsafe { *p };
    v + *r
}

fn main() {
    let v: Vec<u32> = (0..50).collect();
    let x = 21u64;
    let mut t = 0;
    for _ in 0..3 {
        t += total(&v) + through_raw(&x);
    }
    println!("{t}");
}
