// Foreign functions declared by the program itself, with the C signatures spelled in the
// ABI-compatible ways Rust allows: references and `Option<&T>` for pointers, `usize` for `size_t`,
// a `repr(transparent)` wrapper for an `int`, `()` for a `!` return left unused, and calls
// through function pointers. Twins: tests/ui/fail/abi_foreign_param_type.rs,
// tests/ui/fail/abi_foreign_return_type.rs, tests/ui/fail/abi_foreign_param_size.rs.
use std::ffi::{c_char, c_int, c_void};

#[repr(transparent)]
#[derive(Clone, Copy)]
struct Fd(c_int);

unsafe extern "C" {
    fn strlen(s: *const c_char) -> usize;
    fn memchr(s: *const c_void, c: c_int, n: usize) -> Option<&'static u8>;
    fn memset(dest: &mut [u8; 4], c: c_int, n: u64) -> *mut c_void;
    fn isatty(fd: Fd) -> c_int;
    fn getpid() -> c_int;
    fn getenv(name: *const c_char) -> Option<&'static c_char>;
}

fn main() {
    let s = c"vigil";
    let n = unsafe { strlen(s.as_ptr()) };
    println!("strlen: {n}");
    let hay = b"abcdef";
    let found = unsafe { memchr(hay.as_ptr().cast(), b'd' as c_int, hay.len()) };
    println!("memchr found: {:?}", found.map(|b| *b as char));
    let missing = unsafe { memchr(hay.as_ptr().cast(), b'z' as c_int, hay.len()) };
    println!("memchr missing: {}", missing.is_none());
    let mut buf = [0u8; 4];
    unsafe { memset(&mut buf, 9, 4) };
    println!("memset: {buf:?}");
    // (Under Vigil's isolation, as under Miri's, no standard stream is a terminal.)
    let tty = unsafe { isatty(Fd(999)) };
    println!("isatty of a closed descriptor: {tty}");
    let f: unsafe extern "C" fn() -> c_int = getpid;
    println!("getpid through a pointer is positive: {}", unsafe { f() } > 0);
    let unset = unsafe { getenv(c"VIGIL_SURELY_UNSET_VARIABLE".as_ptr()) };
    println!("unset variable: {}", unset.is_none());
}
