// Values of nested enums and of structs with padding, checked in registers where they are
// made and copied, and values stored through pointers, checked where they were stored
// from: all valid, through every variant.
use std::cmp::Ordering;
use std::num::NonZero;
use std::ptr::NonNull;

#[derive(Clone, Copy, Debug)]
enum Shape {
    Dot,
    Line(#[allow(dead_code)] u8),
    Pair(#[allow(dead_code)] bool, #[allow(dead_code)] char),
}

fn compare(a: u32, b: u32) -> Option<Ordering> {
    if a == 7 { None } else { a.partial_cmp(&b) }
}

fn nested(i: u32) -> Option<Option<bool>> {
    match i % 3 {
        0 => None,
        1 => Some(None),
        _ => Some(Some(i % 2 == 0)),
    }
}

fn shape(i: u32) -> Result<Shape, Option<char>> {
    match i % 5 {
        0 => Ok(Shape::Dot),
        1 => Ok(Shape::Line(i as u8)),
        2 => Ok(Shape::Pair(i % 2 == 1, char::from_u32(0x41 + i).unwrap())),
        3 => Err(None),
        _ => Err(char::from_u32(0x61 + i)),
    }
}

fn store<T: Copy>(slot: &mut T, v: T) {
    *slot = v;
}

fn main() {
    let mut orderings = Vec::new();
    let mut shapes = Vec::new();
    let mut pair = (0u32, false);
    let mut nz: Option<NonZero<u8>> = None;
    let mut count = 0usize;
    let mut ptr = NonNull::from(&count);
    let mut letter = 'a';
    for i in 0..12u32 {
        let o = compare(i, 5);
        let again = o;
        orderings.push(again);
        let n = nested(i);
        let copy = n;
        store(&mut pair, (i, copy == Some(Some(true))));
        store(&mut nz, NonZero::new(i as u8));
        let s = shape(i);
        shapes.push(s);
        if let Err(Some(c)) = s {
            store(&mut letter, c);
        }
        store(&mut ptr, NonNull::from(&orderings[0]).cast());
        count += 1;
    }
    let _ = ptr;
    println!("{orderings:?}");
    println!("{shapes:?}");
    println!("{pair:?} {nz:?} {letter} {count}");
}
