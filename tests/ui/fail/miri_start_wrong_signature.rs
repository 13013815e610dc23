//@compile-flags: -Cpanic=abort
// A `#![no_main]` program's `miri_start` entry is called with `argc` and `argv`: declaring it
// with another signature is refused before the program runs.
#![no_std]
#![no_main]

#[no_mangle]
fn miri_start(argc: isize) -> isize { //~ ERROR: `miri_start` must have the following signature
    argc
}

#[panic_handler]
fn panic_handler(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
