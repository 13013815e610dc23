// A foreign function declared with another return type than the C function's (`getpid` returns
// a `pid_t`, an `int`, declared here as `i64`). Twin: tests/ui/pass/foreign_declarations.rs.
unsafe extern "C" {
    fn getpid() -> i64;
}

fn main() {
    let pid = unsafe { getpid() }; //~ ERROR: calling a function with return type i32 passing return place of type i64
    println!("{pid}");
}
