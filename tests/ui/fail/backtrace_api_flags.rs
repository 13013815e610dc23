// Version 0 of Miri's backtrace API is gone: asking for it is an unsupported operation, not UB.
// Twin: tests/ui/fail/backtrace_api.rs.
unsafe extern "Rust" {
    fn miri_get_backtrace(flags: u64, buf: *mut *mut ());
}

fn main() {
    let mut buf = [std::ptr::null_mut(); 8];
    unsafe { miri_get_backtrace(0, buf.as_mut_ptr()) }; //~ ERROR: unsupported operation: miri_get_backtrace: v0 is not supported any more
}
