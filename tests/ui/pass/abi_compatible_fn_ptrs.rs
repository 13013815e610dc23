// Twin of tests/ui/fail/abi_fn_ptr_*: fn pointers transmuted between signatures whose types are
// passed alike: thin pointers of every kind (references, raw pointers, `Box`, `NonNull`,
// `Option<&T>`, fn pointers), `usize` and `u64`, `char` and `u32`, `NonZero<u32>` and `u32`,
// `repr(transparent)` wrappers and `MaybeUninit`, and a type-erased callback as `fmt` builds them.
use std::mem::{transmute, MaybeUninit};
use std::num::NonZero;
use std::ptr::NonNull;

#[repr(transparent)]
struct Meters(u64);

fn read(p: &u32) -> u32 {
    *p
}

fn double(x: u64) -> u64 {
    x * 2
}

fn code(c: u32) -> u32 {
    c + 1
}

fn call_it(f: fn() -> u8) -> u8 {
    f()
}

fn seven() -> u8 {
    7
}

fn show(value: &i64) -> String {
    format!("value {value}")
}

fn main() {
    let x = 5u32;
    unsafe {
        let f: fn(*const u32) -> u32 = transmute(read as fn(&u32) -> u32);
        println!("{}", f(&x));
        let f: fn(NonNull<u32>) -> u32 = transmute(read as fn(&u32) -> u32);
        println!("{}", f(NonNull::from(&x)));
        let f: fn(Option<&u32>) -> u32 = transmute(read as fn(&u32) -> u32);
        println!("{}", f(Some(&x)));
        let f: fn(Box<u32>) -> u32 = transmute(read as fn(&u32) -> u32);
        let b = Box::new(9u32);
        let p = Box::into_raw(b);
        println!("{}", f(Box::from_raw(p)));
        // The callee took the `Box` as a reference: it is still ours to free.
        drop(Box::from_raw(p));
        let f: fn(usize) -> usize = transmute(double as fn(u64) -> u64);
        println!("{}", f(21));
        let f: fn(Meters) -> Meters = transmute(double as fn(u64) -> u64);
        println!("{}", f(Meters(4)).0);
        let f: fn(MaybeUninit<u64>) -> u64 = transmute(double as fn(u64) -> u64);
        println!("{}", f(MaybeUninit::new(8)));
        let f: fn(char) -> u32 = transmute(code as fn(u32) -> u32);
        println!("{}", f('a'));
        let f: fn(NonZero<u32>) -> Option<NonZero<u32>> = transmute(code as fn(u32) -> u32);
        println!("{:?}", f(NonZero::new(3).unwrap()));
        let f: fn(*const ()) -> u8 = transmute(call_it as fn(fn() -> u8) -> u8);
        println!("{}", f(seven as fn() -> u8 as *const ()));
        // A type-erased formatting callback.
        let erased: fn(NonNull<()>) -> String = transmute(show as fn(&i64) -> String);
        let v = -3i64;
        println!("{}", erased(NonNull::from(&v).cast()));
    }
}
