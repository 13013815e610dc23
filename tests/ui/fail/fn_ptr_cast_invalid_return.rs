// A fn pointer transmuted to another signature: the callee returns a null raw pointer, which the
// caller receives as a `&i32`. The returned value is checked at the caller's type.
fn null() -> *const i32 {
    std::ptr::null()
}

fn main() {
    let f: fn() -> &'static i32 = unsafe { std::mem::transmute(null as fn() -> *const i32) };
    let _r = f(); //~ ERROR: encountered a null reference
}
