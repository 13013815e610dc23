// C-variadic functions defined in Rust: arguments of several types read in order, the
// `VaList` forwarded by value and by reference, copied (an independent cursor), and a
// variadic function called through a fn pointer of its own type.
#![feature(c_variadic)]
#![allow(improper_ctypes_definitions)]

use std::ffi::{CStr, VaList, c_char, c_double, c_int, c_long};

unsafe extern "C" fn sum(count: c_int, mut args: ...) -> c_long {
    let mut total: c_long = 0;
    for _ in 0..count {
        total += unsafe { args.next_arg::<c_long>() };
    }
    total
}

unsafe extern "C" fn describe(mut args: ...) -> String {
    let d = unsafe { args.next_arg::<c_double>() };
    let i = unsafe { args.next_arg::<c_int>() };
    let s = unsafe { CStr::from_ptr(args.next_arg::<*const c_char>()) };
    format!("{d} {i} {}", s.to_str().unwrap())
}

unsafe fn first_two(mut list: VaList) -> (c_int, c_int) {
    unsafe { (list.next_arg(), list.next_arg()) }
}

unsafe extern "C" fn forward(args: ...) -> (c_int, c_int) {
    unsafe { first_two(args) }
}

unsafe fn skip_one(list: &mut VaList) {
    let _: c_int = unsafe { list.next_arg() };
}

unsafe extern "C" fn second_twice(mut args: ...) -> (c_int, c_int) {
    unsafe { skip_one(&mut args) };
    let mut copy = args.clone();
    let a: c_int = unsafe { copy.next_arg() };
    let b: c_int = unsafe { args.next_arg() };
    (a, b)
}

fn main() {
    unsafe {
        println!("{}", sum(0));
        println!("{}", sum(3, 10 as c_long, 20 as c_long, 12 as c_long));
        println!("{}", describe(2.5 as c_double, 7 as c_int, c"seven".as_ptr()));
        println!("{:?}", forward(4 as c_int, 5 as c_int, 6 as c_int));
        println!("{:?}", second_twice(1 as c_int, 2 as c_int));
        let f: unsafe extern "C" fn(c_int, ...) -> c_long = sum;
        println!("{}", f(2, 1 as c_long, 2 as c_long));
    }
}
