// Joining a thread that was detached is undefined behavior (its handle was given up).
use std::thread;

extern "C" {
    fn pthread_detach(thread: usize) -> i32;
    fn pthread_join(thread: usize, retval: *mut *mut u8) -> i32;
}

fn main() {
    use std::os::unix::thread::JoinHandleExt;
    let h = thread::spawn(|| {});
    let raw = h.into_pthread_t() as usize;
    unsafe {
        assert_eq!(pthread_detach(raw), 0);
        pthread_join(raw, std::ptr::null_mut()); //~ ERROR: trying to join a detached thread
    }
}
