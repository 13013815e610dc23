// Use after free on the stack: a function returns a pointer to its own local, which the caller reads.
fn make() -> *const i32 {
    let x = 5i32;
    std::ptr::addr_of!(x)
}

fn main() {
    let p = make();
    let _y = unsafe { *p }; //~ ERROR: has been freed
}
