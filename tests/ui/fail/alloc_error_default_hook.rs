// Without a hook, `handle_alloc_error` prints "memory allocation of N bytes failed" and
// aborts the program.
use std::alloc::{Layout, handle_alloc_error};

fn main() {
    handle_alloc_error(Layout::new::<u32>()); //~ ERROR: abnormal termination: the program aborted execution
}
