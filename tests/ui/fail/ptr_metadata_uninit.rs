//@compile-flags: -Zmiri-disable-validation
// Taking the metadata of a wide pointer reads the whole pointer as a value: a pointer whose
// length half was never written is uninitialized, even though only the length is wanted.
// (Custom MIR reads it straight from memory; validation is off so no earlier copy objects.)
#![feature(core_intrinsics, custom_mir)]
#![allow(internal_features)]

use std::intrinsics::mir::*;

#[custom_mir(dialect = "runtime")]
unsafe fn len_of(slot: *const *const [u16]) -> usize {
    mir! {
        {
            RET = PtrMetadata(*slot); //~ ERROR: using uninitialized data
            Return()
        }
    }
}

fn main() {
    let mut slot = std::mem::MaybeUninit::<*const [u16]>::uninit();
    let data = [1u16, 2, 3];
    unsafe {
        slot.as_mut_ptr().cast::<*const u16>().write(data.as_ptr());
        println!("{}", len_of(slot.as_ptr()));
    }
}
