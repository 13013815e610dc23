// `Option`s of references passed, returned and matched: null is `None`, anything else a
// valid reference (checked where it lies in the registers); `NonNull` pointers passed and
// returned by value (their range check, in the registers too).
use std::ptr::NonNull;

fn keep(p: NonNull<u32>) -> NonNull<u32> {
    p
}
fn first_even(v: &[u32]) -> Option<&u32> {
    v.iter().find(|x| **x % 2 == 0)
}

fn pick<'a>(a: Option<&'a u32>, b: Option<&'a u32>) -> Option<&'a u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x > y { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn main() {
    let v = vec![3, 5, 8, 13, 21, 34];
    let w = vec![1, 3, 5];
    let mut boxed: Option<Box<u64>> = None;
    for round in 0..4u64 {
        let a = first_even(&v[round as usize..]);
        let b = first_even(&w);
        println!("{round}: {:?} {:?} {:?}", a, b, pick(a, b));
        boxed = match boxed {
            None => Some(Box::new(round)),
            Some(b) => Some(Box::new(*b + round)),
        };
    }
    let null: Option<&u32> = unsafe { std::mem::transmute(std::ptr::null::<u32>()) };
    println!("{:?} {:?}", null, boxed);
    let x = 41u32;
    let p = keep(NonNull::from(&x));
    println!("{}", unsafe { *p.as_ptr() } + 1);
}
