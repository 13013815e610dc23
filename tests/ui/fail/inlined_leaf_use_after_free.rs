// Use after free inside a small function that Vigil inlines into its caller: the report's
// backtrace shows the callee's frame and the call, as for a function that was called.
// Twin: tests/ui/pass/inlined_leaf_calls.rs.
fn get(p: *const u64) -> u64 {
    unsafe { *p } //~ ERROR: has been freed
}

fn main() {
    let b = Box::new(7u64);
    let p = &*b as *const u64;
    assert_eq!(get(p), 7);
    drop(b);
    let _x = get(p);
}
