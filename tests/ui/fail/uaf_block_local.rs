// Use after free on the stack: a pointer to a block-scoped local is read after the block ends.
fn main() {
    let p: *const u64;
    {
        let x = 7u64;
        p = &x;
    }
    let _y = unsafe { *p }; //~ ERROR: has been freed
}
