// Twin of tests/ui/fail/extern_type_field_offset: references to an extern type (an opaque C
// type), reborrowed, wrapped at offset 0 in a newtype, and cast back to a pointer.
#![feature(extern_types)]

extern "C" {
    type Opaque;
}

#[repr(transparent)]
struct Handle(Opaque);

fn addr(o: &Opaque) -> usize {
    o as *const Opaque as *const u8 as usize
}

fn main() {
    let words = [7u32; 4];
    let o: &Opaque = unsafe { &*(&words as *const [u32; 4] as *const Opaque) };
    let again: &Opaque = &*o;
    let h: &Handle = unsafe { &*(o as *const Opaque as *const Handle) };
    let inner: &Opaque = &h.0;
    println!("{}", addr(again) == addr(inner));
    let back = inner as *const Opaque as *const u32;
    println!("{}", unsafe { *back.add(2) });
    // A dangling reference to an extern type is fine as long as it is never read.
    let far: &Opaque = unsafe { &*(std::ptr::without_provenance::<u8>(16) as *const Opaque) };
    let _far2: &Opaque = &*far;
}
