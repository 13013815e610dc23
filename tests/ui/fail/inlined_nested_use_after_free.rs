// Use after free two inlined calls deep: `read` is inlined into `twice`, which is inlined into
// `main`; the report's backtrace shows both callees' frames and the calls, as for functions
// that were called. Twin: tests/ui/pass/inlined_leaf_calls.rs.
fn read(p: *const u64) -> u64 {
    unsafe { *p } //~ ERROR: has been freed
}

fn twice(p: *const u64) -> u64 {
    read(p) ^ read(p)
}

fn main() {
    let b = Box::new(7u64);
    let p = &*b as *const u64;
    assert_eq!(twice(p), 0);
    drop(b);
    let _x = twice(p);
}
