//@check-pass
// Miri's backtrace API, as crates call it under `cfg(miri)`: the frames of the calling thread,
// innermost first, each resolved to its function's name, file and line, and back to the
// function (a pointer to it). Twins: tests/ui/fail/backtrace_api_flags.rs, tests/ui/fail/backtrace_api_decl.rs.
#[repr(C)]
struct MiriFrame {
    name_len: usize,
    filename_len: usize,
    lineno: u32,
    colno: u32,
    fn_ptr: *mut (),
}

unsafe extern "Rust" {
    fn miri_backtrace_size(flags: u64) -> usize;
    fn miri_get_backtrace(flags: u64, buf: *mut *mut ());
    fn miri_resolve_frame(ptr: *mut (), flags: u64) -> MiriFrame;
    fn miri_resolve_frame_names(ptr: *mut (), flags: u64, name_buf: *mut u8, filename_buf: *mut u8);
}

#[inline(never)]
fn inner() -> Vec<(String, u32, *mut ())> {
    let size = unsafe { miri_backtrace_size(0) };
    let mut frames = vec![std::ptr::null_mut(); size];
    unsafe { miri_get_backtrace(1, frames.as_mut_ptr()) };
    let mut out = Vec::new();
    for &frame in &frames {
        let f = unsafe { miri_resolve_frame(frame, 1) };
        let mut name = vec![0u8; f.name_len];
        let mut file = vec![0u8; f.filename_len];
        unsafe { miri_resolve_frame_names(frame, 0, name.as_mut_ptr(), file.as_mut_ptr()) };
        let (name, file) = (String::from_utf8(name).unwrap(), String::from_utf8(file).unwrap());
        if file.ends_with("backtrace_api.rs") {
            out.push((name, f.lineno, f.fn_ptr));
        }
    }
    out
}

fn outer() -> Vec<(String, u32, *mut ())> {
    inner()
}

/// How many frames of this file the backtrace API finds from here (the size it reports is
/// what it writes, inlined calls included).
#[inline(never)]
fn counted() -> usize {
    let size = unsafe { miri_backtrace_size(0) };
    let mut frames = vec![std::ptr::null_mut(); size];
    unsafe { miri_get_backtrace(1, frames.as_mut_ptr()) };
    let ours = |&&frame: &&*mut ()| {
        let f = unsafe { miri_resolve_frame(frame, 1) };
        let (mut name, mut file) = (vec![0u8; f.name_len], vec![0u8; f.filename_len]);
        unsafe { miri_resolve_frame_names(frame, 0, name.as_mut_ptr(), file.as_mut_ptr()) };
        file.ends_with(b"backtrace_api.rs")
    };
    frames.iter().filter(ours).count()
}

/// A small function that calls and returns (one the machine may inline into `main`).
fn through() -> usize {
    counted()
}

fn main() {
    // (Returned into a register, not into the formatting's argument in memory.)
    let n = through() + 1;
    println!("{} frames of this file through a small caller", n - 1);
    let frames = outer();
    for (name, line, _) in &frames {
        println!("{name} at line {line}");
    }
    // (Function pointers are not unique, so each frame's is only known to be one.)
    assert!(frames.iter().all(|f| !f.2.is_null()));
}
