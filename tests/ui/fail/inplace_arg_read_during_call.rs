//@compile-flags: -Zmiri-disable-stacked-borrows
// Without an aliasing model the caller's place of an argument moved out of memory still belongs
// to the callee during the call: it is uninitialized, so reading it through another pointer is
// undefined behavior.
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
    let seen = unsafe { alias.read() }; //~ ERROR: uninitialized
    println!("{} {}", w.0, seen.0);
}
