// A pointer to a parameter of a small function that Vigil inlines (the parameter lives in
// memory: its address is taken) dangles once the call returns, as it would after a called
// function's frame is gone. Twin: tests/ui/pass/inlined_memory_locals.rs.
#![allow(dangling_pointers_from_locals)]
fn addr(x: u64) -> *const u64 {
    &x as *const u64
}

fn main() {
    let p = addr(7);
    let _v = unsafe { *p }; //~ ERROR: has been freed
}
