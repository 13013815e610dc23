//@revisions: stack tree
//@[tree]compile-flags: -Zmiri-tree-borrows
// The place a call returns into belongs to the callee until it returns: reading the caller's
// destination through a pointer during the call is undefined behavior.
#![feature(custom_mir, core_intrinsics)]
#![allow(internal_features)]
use std::intrinsics::mir::*;

#[custom_mir(dialect = "runtime", phase = "optimized")]
fn main() {
    mir! {
        {
            let out = 0_i64;
            let ptr = &raw mut out;
            Call(out = produce(ptr), ReturnTo(done), UnwindContinue())
        }
        done = {
            Return()
        }
    }
}

fn produce(dest: *mut i64) -> i64 {
    let _old = unsafe { dest.read() }; //~ ERROR: Undefined Behavior
    7
}
