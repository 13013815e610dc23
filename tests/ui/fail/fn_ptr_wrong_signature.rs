// Calling a function through a pointer transmuted to a different signature (`fn(i32)` as `fn(i32, i32)`).
fn one(x: i32) -> i32 { //~ ERROR: calling a function
    x + 1
}

fn main() {
    let f: fn(i32) -> i32 = one;
    let g: fn(i32, i32) -> i32 = unsafe { std::mem::transmute(f) };
    let _r = g(1, 2);
}
