// A function called through a pointer (a frame of its own) keeps a local in memory whose
// address it hands out, then calls a small function that Vigil inlines into it, which
// panics: the frame's local is freed as the panic leaves it, and the report names where the
// frame was when it left, the inlined call, as without inlining. Twin:
// tests/ui/pass/inlined_memory_locals.rs.
use std::panic;

fn check(fail: bool) {
    if fail {
        panic!("check failed");
    }
}

fn hand_out(x: u64, out: &mut *const u64, fail: bool) -> u64 {
    *out = &x as *const u64;
    check(fail);
    x
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let f: fn(u64, &mut *const u64, bool) -> u64 = hand_out;
    let mut p: *const u64 = std::ptr::null();
    let caught = panic::catch_unwind(panic::AssertUnwindSafe(|| f(5, &mut p, true)));
    assert!(caught.is_err());
    let _v = unsafe { *p }; //~ ERROR: has been freed
}
