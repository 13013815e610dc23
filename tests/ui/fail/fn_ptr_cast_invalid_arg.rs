// A fn pointer transmuted to take `NonZero<u32>` is called with an argument read straight through a
// pointer to 0 (custom MIR: no copy into a local validates it first). The argument is checked at
// the caller's type even though the callee takes a plain `u32`.
#![feature(core_intrinsics, custom_mir)]
#![allow(internal_features)]
use std::intrinsics::mir::*;
use std::num::NonZero;

fn takes_u32(x: u32) {
    println!("{x}");
}

#[custom_mir(dialect = "runtime", phase = "optimized")]
fn call_through(f: fn(NonZero<u32>), p: *const NonZero<u32>) {
    mir! {
        let unit: ();
        {
            Call(unit = f(*p), ReturnTo(done), UnwindContinue()) //~ ERROR: encountered 0, but expected something greater or equal to 1
        }
        done = {
            Return()
        }
    }
}

fn main() {
    let f: fn(NonZero<u32>) = unsafe { std::mem::transmute(takes_u32 as fn(u32)) };
    let zero = 0u32;
    call_through(f, &zero as *const u32 as *const NonZero<u32>);
}
