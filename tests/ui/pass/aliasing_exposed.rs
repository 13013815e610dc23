// Aliasing, exposed provenance: addresses of a mutable reference and of a raw pointer are exposed
// and turned back into pointers (wildcard provenance), which may act as any exposed tag: writes
// through them are fine, and so is a reference made from them.
fn main() {
    let mut x = 0u32;
    let p = &mut x as *mut u32;
    let addr = p as usize;
    let q = addr as *mut u32;
    unsafe { *q = 5 };
    let r: &mut u32 = unsafe { &mut *q };
    *r += 1;
    println!("x = {x}");
    let mut v = vec![1u8, 2, 3];
    let base = v.as_mut_ptr() as usize;
    for i in 0..3 {
        let e = (base + i) as *mut u8;
        unsafe { *e *= 10 };
    }
    println!("v = {v:?}");
}
