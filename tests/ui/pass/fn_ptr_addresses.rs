// Fn pointers: a reified function may get a different address at each reification (a
// generic or inlinable function can be duplicated by codegen), but one pointer equals
// itself and always calls the same function; vtables likewise. Any non-null value is a
// valid fn pointer as long as it is not called.
use std::fmt::Display;

fn double<T: Copy + std::ops::Add<Output = T>>(x: T) -> T {
    x + x
}

#[inline(never)]
fn triple(x: u32) -> u32 {
    x * 3
}

fn main() {
    let f = double::<u32> as fn(u32) -> u32;
    let g = f;
    println!("{} {} {}", std::ptr::fn_addr_eq(f, g), f(21), g(4));
    let mut results = Vec::new();
    for _ in 0..40 {
        let h = double::<u32> as fn(u32) -> u32;
        results.push(h(5));
    }
    println!("{}", results.iter().all(|&r| r == 10));
    let t1 = triple as fn(u32) -> u32;
    let t2 = triple as fn(u32) -> u32;
    println!("{} {}", std::ptr::fn_addr_eq(t1, t2), t1(3));

    let x = 7;
    let d: &dyn Display = &x;
    let same = d;
    println!("{} {}", std::ptr::eq(d, same), d);

    let _never_called: fn() = unsafe { std::mem::transmute(8usize) };
    println!("done");
}
