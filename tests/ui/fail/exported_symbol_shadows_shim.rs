// A program that defines a symbol Vigil provides itself (here `getpid`) cannot be linked:
// calls would reach the shim, not the program's definition.
#[unsafe(no_mangle)]
extern "C" fn getpid() -> i32 {
    7
}

fn main() {
    unsafe extern "C" {
        fn getpid() -> i32;
    }
    let _ = unsafe { getpid() }; //~ ERROR: clashes with a built-in shim
}
