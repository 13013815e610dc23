// Declaring a C-variadic function (`fcntl`) without its `...`: calling it through that declaration is
// undefined behavior (the caller and the function disagree on how arguments are passed). Twin:
// tests/ui/pass/io_pipes_threads.rs declares its libc functions as they are.
unsafe extern "C" {
    fn fcntl(fd: i32, cmd: i32) -> i32;
}

fn main() {
    let flags = unsafe { fcntl(1, 1) }; //~ ERROR: calling a variadic function with a non-variadic caller-side signature
    println!("{flags}");
}
