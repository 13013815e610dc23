// A typed copy at pointer type does not keep a pointer that straddles its pointer slots
// (the untyped twin, through `MaybeUninit`, is in the pass tests).
fn main() {
    let x = 5u32;
    let mut bytes = [0u8; 16];
    unsafe { bytes.as_mut_ptr().add(4).cast::<&u32>().write_unaligned(&x) };
    let slots = unsafe { bytes.as_ptr().cast::<[*const (); 2]>().read_unaligned() };
    let back = unsafe { slots.as_ptr().cast::<u8>().add(4).cast::<*const u32>().read_unaligned() };
    let _v = unsafe { *back }; //~ ERROR: no provenance
}
