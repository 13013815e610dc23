// The metadata of wide pointers read straight from memory (custom MIR), once the whole
// pointer is initialized: slice lengths and thin pointers' unit metadata.
#![feature(core_intrinsics, custom_mir, ptr_metadata)]
#![allow(internal_features)]

use std::intrinsics::mir::*;

#[custom_mir(dialect = "runtime")]
unsafe fn len_of(slot: *const *const [u16]) -> usize {
    mir! {
        {
            RET = PtrMetadata(*slot);
            Return()
        }
    }
}

#[custom_mir(dialect = "runtime")]
unsafe fn unit_of(slot: *const *const u16) -> () {
    mir! {
        {
            RET = PtrMetadata(*slot);
            Return()
        }
    }
}

fn main() {
    let data = [1u16, 2, 3];
    let wide: *const [u16] = &data[..2];
    let thin: *const u16 = data.as_ptr();
    unsafe {
        println!("{}", len_of(&wide));
        println!("{:?}", unit_of(&thin));
    }
    println!("{}", std::ptr::metadata(&data[1..]));
}
