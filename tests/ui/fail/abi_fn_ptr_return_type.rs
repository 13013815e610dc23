// The return type is part of the signature: calling a function that returns `u32` through a fn
// pointer that returns `()` is undefined behavior.
fn answer() -> u32 { //~ ERROR: calling a function with return type u32 passing return place of type ()
    42
}

fn main() {
    let f: fn() = unsafe { std::mem::transmute(answer as fn() -> u32) };
    f();
}
