// A value dropped only while unwinding (Vigil keeps it in registers and drops it in memory
// of its own) whose destructor writes through a dangling pointer: the write is reported in
// the destructor, called from the panicking function's unwinding. Twin:
// tests/ui/pass/drop_while_unwinding.rs.
use std::panic;

struct Writer(*mut u32);

impl Drop for Writer {
    fn drop(&mut self) {
        unsafe { *self.0 = 1 }; //~ ERROR: has been freed
    }
}

fn keep(w: Writer) {
    std::mem::forget(w);
}

fn run(w: Writer, fail: bool) {
    if fail {
        panic!("run failed");
    }
    keep(w);
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let b = Box::new(0u32);
    let p = Box::into_raw(b);
    run(Writer(p), false);
    drop(unsafe { Box::from_raw(p) });
    let _ = panic::catch_unwind(|| run(Writer(p), true));
}
