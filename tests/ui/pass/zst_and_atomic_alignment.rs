//@ vigil-flags: -Zmiri-symbolic-alignment-check
// Twin of tests/ui/fail/atomic_unaligned_symbolic and unaligned_zst_read: zero-sized values read
// through aligned (even dangling) pointers, and atomics on memory aligned for them.
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

fn main() {
    let words = [0u32; 4];
    let p = words.as_ptr() as *const [u32; 0];
    let empty = unsafe { *p };
    let dangling = unsafe { *NonNull::<[u64; 0]>::dangling().as_ptr() };
    println!("{empty:?} {dangling:?}");
    let cell = AtomicU64::new(5);
    cell.fetch_add(2, Ordering::SeqCst);
    let mut wide = [0u64; 2];
    let a = unsafe { &*(wide.as_mut_ptr() as *const AtomicU64) };
    a.store(9, Ordering::Relaxed);
    println!("{} {}", cell.load(Ordering::SeqCst), a.load(Ordering::Acquire));
}
