// Places projected from pointers stay in bounds: fields of live allocations, the one-past-the-end
// address of a field at the end, and `let _ = *p` of a dangling pointer (no projection, no
// arithmetic). Twins: tests/ui/fail/dangling_project_freed.rs, tests/ui/fail/project_out_of_bounds.rs.
#[repr(C)]
struct Pair {
    a: u32,
    b: [u16; 2],
}

fn main() {
    let pair = Pair { a: 1, b: [2, 3] };
    let p = &raw const pair;
    let b = unsafe { &raw const (*p).b };
    let last = unsafe { &raw const (*b)[1] };
    println!("{} {}", unsafe { *last }, unsafe { (*p).a });
    let end = unsafe { (&raw const (*p).b).cast::<u16>().add(2) };
    println!("one past the end is {} bytes in", end.addr() - p.addr());
    let dangling = {
        let x = Box::new(5u64);
        &*x as *const u64
    };
    unsafe {
        let _ = *dangling;
    }
    println!("done");
}
