//@compile-flags: -Zvigil-ignore-leaks
//@check-pass
// With `-Zvigil-ignore-leaks`, a leaked `Box` is not reported and the program exits normally.
fn main() {
    std::mem::forget(Box::new(5u32));
    println!("leaked one box");
}
