// Invalid value through a union: a `bool` field read where the byte 3 was written.
union U {
    byte: u8,
    flag: bool,
}

fn main() {
    let u = U { byte: 3 };
    let _b = unsafe { u.flag }; //~ ERROR: constructing invalid value
}
