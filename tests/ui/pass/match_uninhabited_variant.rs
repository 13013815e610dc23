// Matching enums that have uninhabited variants, on values of their inhabited variants (a
// `Result<T, Infallible>`, and bytes that name the inhabited variant). Twin:
// tests/ui/fail/match_uninhabited_variant.rs.
#![feature(never_type)]

use std::convert::Infallible;

#[repr(C)]
#[allow(dead_code)]
enum Status {
    Ready,
    Unreachable(!),
}

fn parse(s: &str) -> Result<u32, Infallible> {
    Ok(s.len() as u32)
}

fn main() {
    match parse("four") {
        Ok(n) => println!("parsed {n}"),
        Err(e) => match e {},
    }
    let bits = 0u32;
    let s = unsafe { &*(&raw const bits).cast::<Status>() };
    match s {
        Status::Ready => println!("ready"),
        Status::Unreachable(_) => println!("unreachable"),
    }
}
