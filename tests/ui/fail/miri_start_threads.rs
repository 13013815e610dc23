//@check-pass
//@compile-flags: -Cpanic=abort
// A `#![no_main]` program's `#[no_mangle] fn miri_start` is its entry (as under Miri), and Miri's
// own thread API spawns and joins a thread; the write of the spawned thread happens before the
// join returns.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicUsize, Ordering};

extern "Rust" {
    fn miri_thread_spawn(t: extern "Rust" fn(*mut ()), data: *mut ()) -> usize;
    fn miri_thread_join(thread_id: usize) -> bool;
    fn miri_write_to_stdout(bytes: &[u8]);
}

static DONE: AtomicUsize = AtomicUsize::new(0);

extern "Rust" fn worker(data: *mut ()) {
    unsafe { *(data as *mut u32) = 7 };
    DONE.store(1, Ordering::Relaxed);
}

#[no_mangle]
fn miri_start(_argc: isize, _argv: *const *const u8) -> isize {
    let mut slot = 0u32;
    unsafe {
        let t = miri_thread_spawn(worker, &raw mut slot as *mut ());
        if !miri_thread_join(t) || slot != 7 || DONE.load(Ordering::Relaxed) != 1 {
            return 1;
        }
        miri_write_to_stdout(b"joined the spawned thread\n");
    }
    0
}

#[panic_handler]
fn panic_handler(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
