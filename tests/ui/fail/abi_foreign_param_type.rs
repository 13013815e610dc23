// A foreign function declared with a parameter of another type than the C function's (`close`
// takes an `int`, declared here as `u32`): `i32` and `u32` are not ABI-compatible, so the call is
// undefined behavior. Twin: tests/ui/pass/foreign_declarations.rs.
unsafe extern "C" {
    fn close(fd: u32) -> i32;
}

fn main() {
    let r = unsafe { close(100) }; //~ ERROR: calling a function whose parameter #1 has type i32 passing argument of type u32
    println!("{r}");
}
