//@ vigil-flags: -Zmiri-disable-validation
// Twin of tests/ui/fail/enum_read_*, validation_disabled_*, invalid_ref_to_uninhabited and
// fn_ptr_cast_invalid_*: valid `bool`s, `char`s and enum tags used in operations and read
// straight through raw pointers (sparse and negative discriminants, niches, a variant without a
// tag), references to zero-sized and inhabited types, and fn pointers transmuted between
// signatures whose values are valid at both types. Run with validation disabled, so that only
// the checks at the uses apply.
#![feature(never_type)]
#![allow(unnecessary_transmutes, dead_code)]
use std::num::NonZero;

#[derive(Debug, Clone, Copy)]
#[repr(i8)]
enum Sparse {
    Low = -3,
    Mid = 1,
    High = 5,
}

#[derive(Debug)]
enum Choice {
    Yes,
    No,
    Impossible(!),
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    Dot,
    Line(bool),
    Area,
}

fn classify(p: *const Sparse) -> u8 {
    match unsafe { &*p } {
        Sparse::Low => 0,
        Sparse::Mid => 1,
        Sparse::High => 2,
    }
}

fn takes_u32(x: u32) -> u32 {
    x * 2
}

fn forty_two() -> *const i32 {
    static V: i32 = 42;
    &V
}

fn main() {
    // bool and char operations, including values made by transmute.
    let t: bool = unsafe { std::mem::transmute(1u8) };
    let f = std::hint::black_box(false);
    println!("{} {} {} {}", t == f, t & !f, t as u8 + f as u8, !t);
    let c: char = unsafe { std::mem::transmute(0x1F600u32) };
    println!("{} {} {}", c as u32, c == 'x', c > 'a');
    match c {
        'a'..='z' => println!("letter"),
        _ => println!("other"),
    }

    // Enum tags read through raw pointers.
    for byte in [-3i8, 1, 5] {
        let p = &byte as *const i8 as *const Sparse;
        println!("{} {:?} {}", classify(p), unsafe { *p }, unsafe { *p } as i8);
    }
    for byte in [0u8, 1, 2] {
        let p = &byte as *const u8 as *const Option<bool>;
        println!("{:?} {}", unsafe { *p }, unsafe { matches!(*p, None) });
    }
    // `Line(bool)` untagged, `Dot` and `Area` in the niche (2 and 4).
    for byte in [0u8, 1, 2, 4] {
        let p = &byte as *const u8 as *const Shape;
        println!("{:?} {}", unsafe { *p }, unsafe { matches!(*p, Shape::Line(_)) });
    }
    for byte in [0u8, 1] {
        let p = &byte as *const u8 as *const Choice;
        println!("{}", unsafe { matches!(*p, Choice::Yes) });
    }

    // References to zero-sized and inhabited types.
    let unit: &() = unsafe { std::mem::transmute(&7i32) };
    let pair: &(i32, u8) = &(1, 2);
    println!("{unit:?} {pair:?}");

    // Fn pointers transmuted between signatures, with values valid at both.
    let g: fn(NonZero<u32>) -> u32 = unsafe { std::mem::transmute(takes_u32 as fn(u32) -> u32) };
    println!("{}", g(NonZero::new(21).unwrap()));
    let h: fn() -> &'static i32 = unsafe { std::mem::transmute(forty_two as fn() -> *const i32) };
    println!("{}", h());
}
