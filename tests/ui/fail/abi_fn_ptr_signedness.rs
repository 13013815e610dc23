// Integers are passed alike only with the same size and signedness: a `u32` parameter called
// with an `i32` argument through a transmuted fn pointer is undefined behavior.
fn takes_unsigned(x: u32) -> u32 { //~ ERROR: calling a function whose parameter #1 has type u32 passing argument of type i32
    x
}

fn main() {
    let f: fn(i32) -> u32 = unsafe { std::mem::transmute(takes_unsigned as fn(u32) -> u32) };
    let _ = f(-1);
}
