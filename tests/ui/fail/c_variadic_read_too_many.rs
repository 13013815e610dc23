// Reading more variadic arguments than the caller passed is undefined behavior.
#![feature(c_variadic)]

unsafe extern "C" fn two(mut args: ...) -> i32 {
    let a: i32 = unsafe { args.next_arg() };
    let b: i32 = unsafe { args.next_arg() }; //~ ERROR: more C-variadic arguments read than were passed
    a + b
}

fn main() {
    println!("{}", unsafe { two(1) });
}
