// `dlsym` finds `getrandom` (the getrandom crate looks it up this way before falling back to
// /dev/urandom), and the pointer it returns can be called; other symbols are not found.
use std::ffi::{c_char, c_uint, c_void};

unsafe extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

type GetrandomFn = unsafe extern "C" fn(*mut c_void, usize, c_uint) -> isize;

fn main() {
    // RTLD_DEFAULT is the null handle on Linux.
    let p = unsafe { dlsym(std::ptr::null_mut(), c"getrandom".as_ptr()) };
    assert!(!p.is_null());
    let getrandom: GetrandomFn = unsafe { std::mem::transmute(p) };
    let mut buf = [0u8; 16];
    let n = unsafe { getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
    println!("getrandom through dlsym filled {n} bytes");
    let none = unsafe { dlsym(std::ptr::null_mut(), c"vigil_no_such_symbol".as_ptr()) };
    println!("unknown symbol found: {}", !none.is_null());
}
