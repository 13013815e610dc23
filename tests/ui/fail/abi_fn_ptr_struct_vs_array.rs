// A struct and an array of the same fields are different types to the ABI: calling through a fn
// pointer that says `[i32; 4]` a function that takes the struct is undefined behavior.
#[derive(Default)]
#[allow(dead_code)]
struct Quad(i32, i32, i32, i32);

fn takes_struct(_: Quad) {} //~ ERROR: calling a function whose parameter #1 has type Quad passing argument of type [i32; 4]

fn main() {
    let f: fn([i32; 4]) = unsafe { std::mem::transmute(takes_struct as fn(Quad)) };
    f([1, 2, 3, 4]);
}
