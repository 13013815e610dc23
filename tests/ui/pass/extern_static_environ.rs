// `environ` declared with its real type reads the emulated environment block.
use std::ffi::{CStr, c_char};

extern "C" {
    static environ: *const *const c_char;
}

fn main() {
    let mut n = 0;
    let mut has_path_like = false;
    unsafe {
        let mut p = environ;
        while !(*p).is_null() {
            let entry = CStr::from_ptr(*p).to_string_lossy();
            has_path_like |= entry.contains('=');
            n += 1;
            p = p.add(1);
        }
    }
    println!("{}", n == std::env::vars_os().count() && (n == 0 || has_path_like));
}
