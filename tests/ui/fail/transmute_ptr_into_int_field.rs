// Integers carry no provenance: transmuting a pair of pointers into a struct of integers
// drops it, so reading the integer's bytes back as a reference gives a dangling one.
#[repr(C)]
struct Words {
    first: usize,
    second: usize,
}

fn main() {
    let (a, b) = (7u32, 8u32);
    let words: Words = unsafe { std::mem::transmute((&a, &b)) };
    let slot = (&raw const words.second).cast::<&u32>();
    let r = unsafe { slot.read() }; //~ ERROR: encountered a dangling reference
    println!("{r} {}", words.first);
}
