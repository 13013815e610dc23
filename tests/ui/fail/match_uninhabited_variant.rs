// Reading the discriminant of a value whose tag names an uninhabited variant is UB (here bytes
// that say `Status::Unreachable(!)`, made by a cast). Twin: tests/ui/pass/match_uninhabited_variant.rs.
#![feature(never_type)]

#[repr(C)]
#[allow(dead_code)]
enum Status {
    Ready,
    Unreachable(!),
}

fn main() {
    let bits = 1u32;
    let s = unsafe { &*(&raw const bits).cast::<Status>() };
    match s { //~ ERROR: read discriminant of an uninhabited enum variant
        Status::Ready => println!("ready"),
        Status::Unreachable(_) => println!("unreachable"),
    }
}
