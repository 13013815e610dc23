// Twin of tests/ui/fail/aliasing_shared_ref_write.rs and aliasing_raw_const_write.rs: pointers that are
// written through are derived from `&mut` (or `&raw mut`), never from `&` or `&raw const`; shared
// references and `*const` pointers are only read, and new ones are made after the writes.
fn write_through(p: *mut u32, v: u32) {
    unsafe { *p = v };
}

fn main() {
    let mut x = 5u32;
    let p = &mut x as *mut u32;
    write_through(p, 6);
    let r = &x;
    let q = r as *const u32;
    println!("after write through &mut-derived pointer: {} (read via *const: {})", *r, unsafe { *q });

    let mut y = 10u32;
    let m = &raw mut y;
    unsafe { *m += 1 };
    let c = &raw const y;
    println!("&raw mut then &raw const: {}", unsafe { *c });

    let mut arr = [1u32, 2, 3, 4];
    let base = arr.as_mut_ptr();
    for i in 0..arr.len() {
        unsafe { *base.add(i) *= 10 };
    }
    let shared: &[u32] = &arr;
    println!("array through as_mut_ptr: {shared:?}");
}
