// A field of an extern type after other fields has no known offset (its alignment is unknown):
// projecting to it is an unsupported operation, not undefined behavior.
#![feature(extern_types)]

extern "C" {
    type Opaque;
}

struct Header {
    len: u32,
    rest: Opaque,
}

fn main() {
    let words = [0u32; 4];
    let h: &Header = unsafe { &*(&words as *const [u32; 4] as *const Header) };
    println!("{}", h.len);
    let _rest = &h.rest; //~ ERROR: unsupported operation
}
