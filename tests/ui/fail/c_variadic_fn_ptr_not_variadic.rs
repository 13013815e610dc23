// Calling a C-variadic function through a fn pointer type that is not C-variadic is
// undefined behavior, even when the arguments would line up.
#![feature(c_variadic)]

unsafe extern "C" fn first(mut args: ...) -> i32 {
    unsafe { args.next_arg() }
}

fn main() {
    let f: unsafe extern "C" fn(i32) -> i32 = unsafe { std::mem::transmute(first as unsafe extern "C" fn(...) -> i32) };
    println!("{}", unsafe { f(3) }); //~ ERROR: disagree on whether the function is C-variadic
}
