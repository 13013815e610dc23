// Rust-heap memory (a `Box`) freed with the C allocator's `free`.
extern "C" {
    fn free(p: *mut u8);
}

fn main() {
    let p = Box::into_raw(Box::new(3u8));
    unsafe { free(p) }; //~ ERROR: deallocation operation
}
