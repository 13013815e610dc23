// Twin of tests/ui/fail/aliasing_box_move.rs: a raw pointer into a `Box` is used only while the Box is
// not moved; ownership goes through `Box::into_raw` / `Box::from_raw`; a Box is moved and passed by
// value (and freed by the callee).
fn consume(b: Box<u32>) -> u32 {
    *b + 1
}

fn main() {
    let mut b = Box::new(1u32);
    let raw: *mut u32 = &mut *b;
    unsafe { *raw = 2 };
    let b2 = b;
    println!("moved after the raw write: {}", *b2);

    let p = Box::into_raw(Box::new(40u32));
    unsafe {
        *p += 1;
        let back = Box::from_raw(p);
        println!("into_raw / from_raw: {}", consume(back));
    }

    let mut boxes: Vec<Box<u32>> = (0..3).map(Box::new).collect();
    for bx in boxes.iter_mut() {
        **bx *= 7;
    }
    let moved: Vec<Box<u32>> = boxes.into_iter().rev().collect();
    let vals: Vec<u32> = moved.iter().map(|b| **b).collect();
    println!("boxes moved into a new Vec: {vals:?}");
}
