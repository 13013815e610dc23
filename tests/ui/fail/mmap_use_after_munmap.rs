// A mapping is gone after munmap: reading it is a use after free.
use std::ffi::{c_int, c_long, c_void};

unsafe extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, off: c_long) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> c_int;
}

fn main() {
    unsafe {
        let p = mmap(std::ptr::null_mut(), 64, 1 | 2, 2 | 0x20, -1, 0).cast::<u64>();
        *p = 1;
        munmap(p.cast(), 64);
        let _x = *p; //~ ERROR: has been freed
    }
}
