// Reading the discriminant of an enum whose tag names no variant (a `match` straight through a
// raw pointer, so no copy validates the value first) is undefined behavior.
#[allow(dead_code)]
#[repr(i8)]
enum Sparse {
    Low = -3,
    Mid = 1,
    High = 5,
}

fn classify(p: *const Sparse) -> u8 {
    match unsafe { &*p } { //~ ERROR: enum value has invalid tag: 0x02
        Sparse::Low => 0,
        Sparse::Mid => 1,
        Sparse::High => 2,
    }
}

fn main() {
    // 2 lies between valid discriminants (-3..=5) but is none of them.
    let byte = 2u8;
    classify(&byte as *const u8 as *const Sparse);
}
