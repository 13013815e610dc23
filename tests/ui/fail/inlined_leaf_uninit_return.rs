// Uninitialized read of a value returned by a small function that Vigil inlines: the second
// call writes no field of the union it returns, so the value is uninitialized even though the
// first call's value was not (the inlined callee's registers start out uninitialized at each
// call, as a new frame's do). Twin: tests/ui/pass/inlined_leaf_calls.rs.
#[derive(Clone, Copy)]
union Slot {
    value: u32,
    empty: (),
}

fn slot(full: bool, v: u32) -> Slot {
    if full { Slot { value: v } } else { Slot { empty: () } }
}

fn main() {
    let a = unsafe { slot(true, 5).value };
    assert_eq!(a, 5);
    std::process::exit(unsafe { slot(false, 0).value } as i32); //~ ERROR: uninitialized
}
