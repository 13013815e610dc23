// Out-of-bounds read of a static: a raw pointer one element past the end of a static array is read.
static TABLE: [u8; 4] = [10, 20, 30, 40];

fn main() {
    let p = TABLE.as_ptr();
    let _x = unsafe { *p.add(4) }; //~ ERROR: memory access failed
}
