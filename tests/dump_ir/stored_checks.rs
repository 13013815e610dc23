// Values whose checks instruction selection gives register forms: a nested enum made in
// registers, and values stored through references, checked in the registers they came
// from (unless their padding must be cleared in memory).
use std::cmp::Ordering;
use std::ptr::NonNull;

#[inline(never)]
fn stored_checks(a: u32, b: u32, slot: &mut NonNull<u8>, pair: &mut (u32, bool), p: NonNull<u8>, v: (u32, bool)) -> Option<Option<Ordering>> {
    let o = if a == 0 { None } else { Some(a.partial_cmp(&b)) };
    *slot = p;
    *pair = v;
    o
}

fn main() {
    let mut byte = 0u8;
    let mut slot = NonNull::from(&mut byte);
    let mut pair = (0, false);
    let o = stored_checks(3, 4, &mut slot, &mut pair, NonNull::from(&mut byte), (5, true));
    println!("{o:?} {pair:?}");
}
