// Uninitialized read: a struct's padding byte read as `u8` through a pointer cast (and used on the same
// line: Miri reports the load itself, Vigil may report the first use of the loaded value).
#[repr(C)]
struct S {
    a: u8,
    b: u32,
}

fn main() {
    let s = S { a: 1, b: 2 };
    assert_eq!(s.a + s.b as u8, 3);
    let p = (&s as *const S).cast::<u8>();
    let _pad = unsafe { *p.add(1) } | 1; //~ ERROR: uninitialized
}
