// A fn pointer transmuted to another signature: the callee takes an `f32`, the caller passes an
// `i32` (same size, but passed in another kind of register): undefined behavior at the call.
fn takes_float(x: f32) -> f32 { //~ ERROR: calling a function whose parameter #1 has type f32 passing argument of type i32
    x
}

fn main() {
    let f: fn(i32) -> f32 = unsafe { std::mem::transmute(takes_float as fn(f32) -> f32) };
    let _ = f(1);
}
