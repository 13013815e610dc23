// An extern static the emulated OS provides must be declared with its layout: `environ` is a
// pointer, not a byte.
extern "C" {
    static environ: u8; //~ ERROR: has been declared as `environ` with a size of 1 bytes
}

fn main() {
    let v = unsafe { environ };
    println!("{v}");
}
