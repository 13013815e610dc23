// Twin of tests/ui/fail/uaf_*: pointers are only read while their allocation is live: a `Box` read before it
// is freed, a pointer to a block-scoped local read inside the block, a function returning a value rather
// than a pointer to its local, and a freed pointer that is kept but never dereferenced.
fn make() -> i32 {
    let x = 5i32;
    let p = std::ptr::addr_of!(x);
    unsafe { *p }
}

fn main() {
    let p = Box::into_raw(Box::new(42u32));
    let before = unsafe { *p };
    drop(unsafe { Box::from_raw(p) });
    let dangling_but_unused = p;
    println!("heap: {before}, pointer kept after free: {}", !dangling_but_unused.is_null());

    let y;
    {
        let x = 7u64;
        let q: *const u64 = &x;
        y = unsafe { *q };
    }
    println!("block local: {y}");
    println!("returned value: {}", make());

    let mut v = vec![1, 2, 3];
    let first = v.as_ptr();
    println!("vec before growing: {}", unsafe { *first });
    v.extend(0..100);
    println!("vec after growing, re-borrowed: {}", unsafe { *v.as_ptr() });
}
