// `&mut` reborrows that only make the next one, one after the other (the lowering leaves
// the links of such a chain no tag of their own): subslices made by `index_mut`, whose
// inlined layers reborrow `&mut *r` in turn, `get_mut`, `split_at_mut`, `iter_mut`, and
// reborrow chains of the program's own (one returned as a shared reference), read and
// written through afterwards, beside raw pointers used before a chain is made and after it
// is gone. The output is native's under both models.
fn nested(r: &mut [u32; 4]) -> &mut u32 {
    let a = &mut *r;
    let b = &mut *a;
    let c = &mut b[2];
    let d = &mut *c;
    d
}

fn rechain(v: &mut Vec<u64>) -> &mut [u64] {
    let w = &mut *v;
    let x = &mut w[..];
    let y = &mut *x;
    &mut y[1..]
}

fn shared_of(m: &mut [u64]) -> &[u64] {
    let a = &mut *m;
    &*a
}

fn main() {
    let mut a = [0u32; 4];
    let p: *mut [u32; 4] = &raw mut a;
    unsafe { (*p)[0] = 3 };
    let whole: &mut [u32; 4] = unsafe { &mut *p };
    let s: &mut [u32] = &mut whole[1..3];
    s[1] = 5;
    s[0] += 1;
    *nested(whole) += 10;
    unsafe { (*p)[3] = 9 };
    println!("{:?}", a);

    let mut v: Vec<u64> = (0..16).collect();
    for round in 0..50u64 {
        let t = rechain(&mut v);
        t[(round % 15) as usize] += round;
        if let Some(x) = v.get_mut((round % 16) as usize) {
            *x ^= 1;
        }
        let (l, r) = v.split_at_mut(8);
        l[0] = l[0].wrapping_add(r[7]);
        for e in v.iter_mut().skip(3).step_by(4) {
            *e = e.wrapping_mul(3);
        }
    }
    println!("{:?}", v);
    let sh = shared_of(&mut v[2..6]);
    println!("{}", sh.iter().fold(0u64, |acc, x| acc.wrapping_add(*x)));
    let q: *mut u64 = &raw mut v[3];
    unsafe { *q = 1 };
    println!("{:?}", &v[..5]);

    let mut w: Vec<u64> = (0..8).collect();
    let q: *mut u64 = w.as_mut_ptr();
    let s: &[u64] = &w[2..5];
    let first = s[0];
    unsafe { *q.add(6) = 7 };
    let second = s[1];
    println!("{first} {second} {:?}", w);
}
