// Twin of tests/ui/fail/invalid_* and union_invalid_bool: values made by `transmute` that are valid for their
// type (bool from 1, chars from valid code points, enum tags that exist, null as `Option<&T>` /
// `Option<Box<T>>` / `Option<fn()>`, aligned live references, an uninhabited error variant that never
// exists), and invalid bytes that stay inside `MaybeUninit` or a union field that is never read as `bool`.
#![allow(unnecessary_transmutes)]
use std::mem::{transmute, MaybeUninit};

#[derive(Debug)]
#[allow(dead_code)]
#[repr(u8)]
enum E {
    A = 0,
    B = 1,
}

#[derive(Debug)]
enum Void {}

union U {
    byte: u8,
    flag: bool,
}

fn main() {
    let b: bool = unsafe { transmute(1u8) };
    let c: char = unsafe { transmute(0xD7FFu32) };
    let top: char = unsafe { transmute(0x10FFFFu32) };
    let e: E = unsafe { transmute(1u8) };
    println!("{b} {:x} {:x} {e:?}", c as u32, top as u32);
    println!("char::from_u32(0xD800) = {:?}, char::from_u32(0x110000) = {:?}", char::from_u32(0xD800), char::from_u32(0x110000));

    let r: Option<&u8> = unsafe { transmute(0usize) };
    let bx: Option<Box<u8>> = unsafe { transmute(0usize) };
    let f: Option<fn()> = unsafe { transmute(0usize) };
    println!("null as Option: {r:?} {bx:?} {}", f.is_none());

    let x = 5u32;
    let px: *const u32 = &x;
    let rx: &u32 = unsafe { transmute(px) };
    println!("reference from a live aligned pointer: {rx}");

    let ok: Result<u32, Void> = Ok(3);
    match ok {
        Ok(v) => println!("uninhabited error type, Ok({v})"),
    }

    let kept: MaybeUninit<bool> = unsafe { transmute(2u8) };
    let byte: u8 = unsafe { transmute(kept) };
    println!("invalid bool byte kept in MaybeUninit: {byte}");

    let u = U { byte: 3 };
    println!("union read as its u8 field: {}", unsafe { u.byte });
    let v = U { flag: true };
    println!("union read as the bool that was written: {}", unsafe { v.flag });
}
