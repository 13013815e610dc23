// A variant that holds an uninhabited value has no tag in the layout: the tag 2 of `Choice` is
// outside the valid tags, so reading that discriminant is undefined behavior.
#![feature(never_type)]

#[allow(dead_code)]
enum Choice {
    Yes,
    No,
    Impossible(!),
}

fn main() {
    let byte = 2u8;
    let p = &byte as *const u8 as *const Choice;
    let _yes = unsafe { matches!(*p, Choice::Yes) }; //~ ERROR: enum value has invalid tag: 0x02
}
