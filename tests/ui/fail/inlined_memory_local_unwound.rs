// A small function that Vigil inlines panics while a local of its own lives in memory: the
// local is freed as the panic leaves the function, as with its frame, and a pointer to it
// kept by the caller dangles after the panic is caught. Twin: tests/ui/pass/inlined_memory_locals.rs.
use std::panic;

fn stash(x: u64, out: &mut *const u64, fail: bool) -> u64 {
    *out = &x as *const u64;
    if fail {
        panic!("stash failed");
    }
    x
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let mut p: *const u64 = std::ptr::null();
    let caught = panic::catch_unwind(panic::AssertUnwindSafe(|| stash(5, &mut p, true)));
    assert!(caught.is_err());
    let _v = unsafe { *p }; //~ ERROR: has been freed
}
