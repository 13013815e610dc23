// Values checked again where their bytes did not change (the copies of a `NonZero`, an
// `Option<u64>`'s padding made uninitialized by the first check), and checked anew after
// every change, in loops and across inlined calls: all valid.
use std::num::NonZero;

fn non_zero(x: u32) -> NonZero<u32> {
    unsafe { std::mem::transmute(x) }
}

fn half(x: Option<u64>) -> Option<u64> {
    x.map(|v| v / 2)
}

fn main() {
    let mut total = 0;
    for i in (1..4u32).rev() {
        let n = non_zero(i);
        let copy = n;
        total += copy.get();
    }
    let mut o = Some(40u64);
    for _ in 0..3 {
        let again = o;
        o = half(again);
    }
    let flags: Vec<bool> = (0..5u8).map(|b| unsafe { std::mem::transmute::<u8, bool>(b & 1) }).collect();
    println!("{total} {o:?} {flags:?}");
}
