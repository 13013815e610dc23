// Use after free on the heap: a `Box` is turned into a raw pointer, freed, then read.
fn main() {
    let p = Box::into_raw(Box::new(42u32));
    drop(unsafe { Box::from_raw(p) });
    let _x = unsafe { *p }; //~ ERROR: has been freed
}
