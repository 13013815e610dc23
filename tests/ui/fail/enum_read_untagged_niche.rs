// In `Shape`, `Line(bool)` is stored untagged (its `bool` byte is 0 or 1) and the other variants
// in the `bool`'s niche: `Dot` as 2 and `Area` as 4. The byte 3 lies between them but would
// encode the untagged variant itself, which is stored without a tag: it is no valid tag.
use std::mem::transmute;

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Dot,
    Line(bool),
    Area,
}

fn main() {
    assert!(Shape::Dot == unsafe { transmute::<u8, Shape>(2) });
    assert!(Shape::Area == unsafe { transmute::<u8, Shape>(4) });
    let three = 3u8;
    let p = &three as *const u8 as *const Shape;
    let _line = unsafe { matches!(*p, Shape::Line(_)) }; //~ ERROR: enum value has invalid tag: 0x03
}
