// Memory leak: a `Vec`'s buffer is never freed (the `Vec` is forgotten); reported at the allocation.
fn main() {
    let v: Vec<u32> = Vec::with_capacity(8); //~ ERROR: memory leaked
    std::mem::forget(v);
}
