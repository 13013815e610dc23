// Private anonymous mappings: zeroed, page-aligned, writable, freed by munmap; invalid
// arguments fail with EINVAL.
use std::ffi::{c_int, c_long, c_void};

unsafe extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, off: c_long) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> c_int;
    fn sysconf(name: c_int) -> c_long;
}

const PROT_READ: c_int = 1;
const PROT_WRITE: c_int = 2;
const MAP_PRIVATE: c_int = 2;
const MAP_ANONYMOUS: c_int = 0x20;
const MAP_FAILED: *mut c_void = !0usize as *mut c_void;
const SC_PAGESIZE: c_int = 30;

fn main() {
    unsafe {
        let page = sysconf(SC_PAGESIZE) as usize;
        let p = mmap(std::ptr::null_mut(), 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_ne!(p, MAP_FAILED);
        println!("aligned to a page: {}", p as usize % page == 0);
        let bytes = p.cast::<u8>();
        // The whole page is usable and zeroed.
        let zeroed = (0..page).all(|i| *bytes.add(i) == 0);
        println!("zeroed: {zeroed}");
        *bytes.add(page - 1) = 7;
        println!("last byte of the page: {}", *bytes.add(page - 1));
        println!("munmap: {}", munmap(p, 100));

        let bad = mmap(std::ptr::null_mut(), 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        println!("length 0 fails: {}, EINVAL: {}", bad == MAP_FAILED, std::io::Error::last_os_error().raw_os_error() == Some(22));
        let bad = mmap(std::ptr::null_mut(), 8, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, -1, 0);
        println!("neither private nor shared fails: {}", bad == MAP_FAILED);
    }
}
