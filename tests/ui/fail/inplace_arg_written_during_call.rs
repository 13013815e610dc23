//@revisions: stack tree
//@[tree]compile-flags: -Zmiri-tree-borrows
// A call that moves an argument out of memory (`Move(*ptr)` in MIR) may pass the caller's place
// itself: the callee owns it until it returns, so writing it through another pointer during the
// call is undefined behavior (the place is protected like a `&mut` argument).
#![feature(custom_mir, core_intrinsics)]
#![allow(internal_features, dead_code)]
use std::intrinsics::mir::*;

pub struct Wide(u64, u64, u64, u64);

#[custom_mir(dialect = "runtime", phase = "optimized")]
fn main() {
    mir! {
        let unit: ();
        {
            let value = Wide(1, 2, 3, 4);
            let ptr = &raw mut value;
            Call(unit = consume(Move(*ptr), ptr), ReturnTo(done), UnwindContinue())
        }
        done = {
            Return()
        }
    }
}

fn consume(w: Wide, alias: *mut Wide) {
    unsafe { alias.write(Wide(0, 0, 0, 0)) }; //~ ERROR: Undefined Behavior
    println!("{}", w.0);
}
