// The callbacks `catch_unwind` runs are called with the signature the intrinsic declares:
// an `extern "C"` function passed (transmuted) as the `try` callback is called with the
// wrong calling convention.
#![feature(core_intrinsics)]
#![allow(internal_features)]

extern "C" fn body(_: *mut u8) {}

fn on_panic(_: *mut u8, _: *mut u8) {}

fn main() {
    let code = unsafe {
        std::intrinsics::catch_unwind( //~ ERROR: calling a function with calling convention "C" using calling convention "Rust"
            std::mem::transmute::<extern "C" fn(*mut u8), fn(*mut u8)>(body),
            std::ptr::null_mut(),
            on_panic,
        )
    };
    println!("{code}");
}
