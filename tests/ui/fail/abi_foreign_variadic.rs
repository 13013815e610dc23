// Declaring a function that is not C-variadic (`pipe`) with a `...`: calling it through that declaration
// is undefined behavior. Twin: tests/ui/pass/io_pipes_threads.rs.
unsafe extern "C" {
    fn pipe(fds: *mut i32, ...) -> i32;
}

fn main() {
    let mut fds = [0i32; 2];
    let r = unsafe { pipe(fds.as_mut_ptr()) }; //~ ERROR: ABI mismatch: calling a non-variadic function with a variadic caller-side signature
    println!("{r}");
}
