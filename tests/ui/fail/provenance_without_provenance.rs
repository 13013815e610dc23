// A pointer made by `ptr::without_provenance` from the address of a live local cannot be dereferenced.
fn main() {
    let x = 5u32;
    let addr = (&x as *const u32).addr();
    let p = std::ptr::without_provenance::<u32>(addr);
    let _y = unsafe { *p }; //~ ERROR: no provenance
}
