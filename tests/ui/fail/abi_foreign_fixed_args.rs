// A C-variadic function (`open`) declared with too few fixed arguments before its `...`: the call is
// undefined behavior. Twin: tests/ui/pass/fs_roundtrip.rs (std declares `open64` as it is).
unsafe extern "C" {
    fn open(path: *const std::ffi::c_char, ...) -> i32;
}

fn main() {
    let fd = unsafe { open(c"Cargo.toml".as_ptr(), 0) }; //~ ERROR: incorrect number of fixed arguments for variadic function `open`: got 1, expected 2
    println!("{fd}");
}
