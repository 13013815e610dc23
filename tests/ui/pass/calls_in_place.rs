// Twin of tests/ui/fail/inplace_arg_* and return_place_read_during_call: arguments moved out of
// memory and return places in memory, used only by the callee during the call; the caller
// writes and reads the places again once the call has returned. Also ordinary code whose moved
// arguments and destinations are locals with their address taken.
#![feature(custom_mir, core_intrinsics)]
#![allow(internal_features, dead_code)]
use std::intrinsics::mir::*;

#[derive(Debug)]
pub struct Wide(u64, u64, u64, u64);

#[custom_mir(dialect = "runtime", phase = "optimized")]
fn move_from_memory() -> u64 {
    mir! {
        let unit: ();
        let value: Wide;
        let ptr: *mut Wide;
        {
            value = Wide(1, 2, 3, 4);
            ptr = &raw mut value;
            Call(unit = consume(Move(*ptr)), ReturnTo(reuse), UnwindContinue())
        }
        reuse = {
            (*ptr) = Wide(5, 6, 7, 8);
            RET = (*ptr).2;
            Return()
        }
    }
}

#[custom_mir(dialect = "runtime", phase = "optimized")]
fn return_into_memory() -> i64 {
    mir! {
        let out: i64;
        let ptr: *mut i64;
        {
            out = 0;
            ptr = &raw mut out;
            (*ptr) = 3;
            Call(out = produce(), ReturnTo(done), UnwindContinue())
        }
        done = {
            // (`ptr` lost its access: the call's protection of `out` was a new `&mut`.)
            RET = out;
            Return()
        }
    }
}

fn consume(w: Wide) {
    println!("consumed {w:?}");
}

fn produce() -> i64 {
    7
}

fn make(n: u64) -> Vec<u64> {
    (0..n).collect()
}

fn total(v: Vec<u64>) -> u64 {
    v.iter().sum()
}

fn main() {
    println!("{}", move_from_memory());
    println!("{}", return_into_memory());
    // Locals whose address is taken live in memory: moved into calls and assigned from them.
    let mut v = make(4);
    let r = &mut v;
    r.push(10);
    let mut s = total(v);
    let p = &mut s;
    *p += 1;
    v = make(3);
    println!("{s} {:?}", v);
}
