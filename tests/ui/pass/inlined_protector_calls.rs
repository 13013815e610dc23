// Small functions that protect their reference arguments and call other functions are inlined
// by Vigil; their protectors still end when the call does, however it ends:
// - by returning, also with a reference made inside the call, used after it (Tree Borrows
//   nodes dropped at the inlined return must not include its tag);
// - by a panic unwinding out of the called function through the inlined one, caught further
//   out: after `catch_unwind` the place the protected `&mut` pointed to is written directly,
//   which would be UB if the protector had outlived the call.
// Twin: tests/ui/fail/inlined_protector_calls.rs (a write inside the call).
use std::panic;

fn maybe_panic(fail: bool) {
    if fail {
        panic!("boom");
    }
}

fn check(x: &mut i32, fail: bool) -> i32 {
    maybe_panic(fail);
    *x += 1;
    *x
}

fn read_after(x: &i32, fail: bool) -> i32 {
    maybe_panic(fail);
    *x
}

// Called, not inlined (its local lives in memory): a call that returns into its caller.
fn observe(x: usize) -> usize {
    let copy = x;
    let at = &raw const copy;
    unsafe { *at }
}

// Returns a reference made inside the (inlined) call, after a call that returns into it:
// its tag outlives the call.
fn pick(v: &mut [u32; 4], i: usize) -> &mut u32 {
    let i = observe(i);
    &mut v[i]
}

fn main() {
    panic::set_hook(Box::new(|_| println!("panicked")));
    let mut v = 5;
    assert_eq!(check(&mut v, false), 6);
    let r = panic::catch_unwind(panic::AssertUnwindSafe(|| check(&mut v, true)));
    assert!(r.is_err());
    // Through the local itself: the protected `&mut` of the unwound call is gone.
    v = 7;
    let p = &raw mut v;
    unsafe { *p = 8 };
    println!("v = {v}");

    // A shared reference protected by an inlined call that unwinds: afterwards, its place is
    // written (a local whose address is taken).
    let mut kept = 0;
    for i in 0..3 {
        kept = read_after(&v, false) + i;
        let at = &raw const kept;
        println!("kept {}", unsafe { *at });
    }
    let r = panic::catch_unwind(|| read_after(&kept, true));
    assert!(r.is_err());
    kept += 1;
    println!("kept {kept}");

    // References returned by inlined calls, used after them and after further calls.
    let mut arr = [1, 2, 3, 4];
    for i in 0..4 {
        let r = pick(&mut arr, i);
        *r += 10;
        maybe_panic(false);
        *r += 1;
    }
    let r0 = pick(&mut arr, 0);
    let before = pick(&mut [*r0, 0, 0, 0], 0).wrapping_add(0);
    *r0 = before * 2;
    println!("arr {arr:?}");
}
