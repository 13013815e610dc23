// Out-of-bounds read on the stack: a raw pointer to a local array, one element past the end, is read.
fn main() {
    let a = [1u16, 2, 3, 4];
    let p = a.as_ptr();
    let _x = unsafe { p.add(4).read() }; //~ ERROR: memory access failed
}
