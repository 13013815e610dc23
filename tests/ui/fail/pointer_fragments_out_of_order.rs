// The bytes of one pointer put back in the wrong order are not that pointer.
use std::mem::MaybeUninit;

fn main() {
    let x = 5u32;
    let mut p: &u32 = &x;
    let raw = &raw mut p as *mut MaybeUninit<u8>;
    unsafe {
        // Byte 1 of the pointer becomes a copy of its byte 0: same provenance, wrong place.
        let b0 = raw.read();
        raw.add(1).write(b0);
    }
    let _v = *p; //~ ERROR: no provenance
}
