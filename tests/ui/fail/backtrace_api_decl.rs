// `miri_resolve_frame` returns a frame struct; declaring it to return nothing is a call with the
// wrong signature. Twin: tests/ui/fail/backtrace_api.rs.
unsafe extern "Rust" {
    fn miri_backtrace_size(flags: u64) -> usize;
    fn miri_get_backtrace(flags: u64, buf: *mut *mut ());
    fn miri_resolve_frame(ptr: *mut (), flags: u64);
}

fn main() {
    let mut frames = vec![std::ptr::null_mut(); unsafe { miri_backtrace_size(0) }];
    unsafe { miri_get_backtrace(1, frames.as_mut_ptr()) };
    unsafe { miri_resolve_frame(frames[0], 1) }; //~ ERROR: bad declaration of miri_resolve_frame - should return a struct with 5 fields
}
