// Twin of tests/ui/fail/aliasing_protector.rs: a function writes only through its own `&mut` argument
// while it runs; the raw alias of the same location is used by the caller after the call returns (when the
// protector has ended), and a function that receives only raw pointers may use them freely.
fn f(x: &mut u32) {
    *x += 1;
}

fn g(a: *mut u32, b: *mut u32) {
    unsafe {
        *a += 10;
        *b += 100;
    }
}

fn main() {
    let mut v = 1u32;
    let p = &mut v as *mut u32;
    f(unsafe { &mut *p });
    unsafe { *p += 1 };
    println!("after f and a write through the raw alias: {}", unsafe { *p });
    g(p, p);
    println!("after g with two raw aliases: {v}");
}
