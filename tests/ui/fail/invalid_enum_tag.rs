// Invalid value: an enum made from a byte that is not one of its tags by `transmute`.
#[allow(dead_code)]
#[repr(u8)]
enum E {
    A = 0,
    B = 1,
}

fn main() {
    let _e: E = unsafe { std::mem::transmute(7u8) }; //~ ERROR: constructing invalid value
}
