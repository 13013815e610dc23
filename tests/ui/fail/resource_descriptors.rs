// A program that opens descriptors without end stops with a resource-exhaustion report where the last one
// was opened. (Pipes need no host, so this runs under isolation.)
unsafe extern "C" {
    fn pipe(fds: *mut i32) -> i32;
}

fn main() {
    let mut fds = [0i32; 2];
    loop {
        unsafe { pipe(fds.as_mut_ptr()) }; //~ ERROR: too many open file descriptors
    }
}
