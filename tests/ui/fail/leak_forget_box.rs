// Memory leak: a `Box` passed to `mem::forget` is never freed; reported at the end, at the allocation.
fn main() {
    std::mem::forget(Box::new(5u32)); //~ ERROR: memory leaked
}
