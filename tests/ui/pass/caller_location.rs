// `Location::caller()` and the `caller_location` intrinsic: inside `#[track_caller]` functions
// they name the caller's call site; outside one, the call itself.
#![feature(core_intrinsics)]
#![allow(internal_features)]
use std::panic::Location;

#[track_caller]
fn tracked() -> &'static Location<'static> {
    Location::caller()
}

fn untracked() -> &'static Location<'static> {
    Location::caller()
}

fn raw_intrinsic() -> &'static Location<'static> {
    core::intrinsics::caller_location()
}

fn main() {
    for l in [tracked(), untracked(), raw_intrinsic()] {
        println!("{}:{}", l.line(), l.column());
    }
}
