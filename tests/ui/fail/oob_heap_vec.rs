// Out-of-bounds read on the heap: a `Vec`'s pointer one element past the end is read.
fn main() {
    let v: Vec<u32> = vec![1, 2, 3, 4];
    let p = v.as_ptr();
    let _x = unsafe { *p.add(4) }; //~ ERROR: memory access failed
}
