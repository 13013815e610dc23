// An `extern "C"` function called through a fn pointer that says Rust's calling convention.
extern "C" fn c_add(a: i32, b: i32) -> i32 {
    a + b
}

fn main() {
    let f: fn(i32, i32) -> i32 = unsafe { std::mem::transmute(c_add as extern "C" fn(i32, i32) -> i32) };
    let _ = f(1, 2); //~ ERROR: calling a function with calling convention "C" using calling convention "Rust"
}
