// The correct twins of the data-race programs in tests/ui/fail: the same sharing, each made
// race-free (joins, a mutex, scoped threads, release/acquire, atomics of one size, freeing after
// the join). The output is deterministic.
use std::alloc::{alloc, dealloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, Ordering};
use std::sync::Mutex;
use std::thread;

struct SendPtr<T>(*mut T);
impl<T> Clone for SendPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SendPtr<T> {}
unsafe impl<T> Send for SendPtr<T> {}

static GUARDED: Mutex<u32> = Mutex::new(0);
static READY: AtomicBool = AtomicBool::new(false);
static mut DATA: u64 = 0;

fn heap_writes_ordered_by_join() {
    let p = SendPtr(Box::into_raw(Box::new(0u64)));
    let a = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 = 1 };
    });
    a.join().unwrap();
    let b = thread::spawn(move || {
        let p = p;
        unsafe { *p.0 += 2 };
    });
    b.join().unwrap();
    println!("heap: {}", unsafe { *Box::from_raw(p.0) });
}

fn static_behind_a_mutex() {
    let hs: Vec<_> = (0..3).map(|i| thread::spawn(move || *GUARDED.lock().unwrap() += i + 1)).collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("static: {}", *GUARDED.lock().unwrap());
}

fn stack_local_with_scoped_threads() {
    let mut local = [0i32; 4];
    thread::scope(|s| {
        for (i, slot) in local.iter_mut().enumerate() {
            s.spawn(move || *slot = i as i32 * 10);
        }
    });
    println!("stack: {:?}", local);
}

fn release_acquire_flag() {
    let producer = thread::spawn(|| {
        unsafe { DATA = 42 };
        READY.store(true, Ordering::Release);
    });
    while !READY.load(Ordering::Acquire) {
        thread::yield_now();
    }
    println!("flag: {}", unsafe { DATA });
    producer.join().unwrap();
}

fn atomic_then_non_atomic_after_join() {
    let p = SendPtr(Box::into_raw(Box::new(AtomicU32::new(0))));
    let t = thread::spawn(move || {
        let p = p;
        unsafe { (*p.0).fetch_add(5, Ordering::Relaxed) };
    });
    unsafe { (*p.0).fetch_add(1, Ordering::Relaxed) };
    t.join().unwrap();
    // Every atomic access happened before: a plain read is fine, and so is a smaller one.
    let v = unsafe { *(p.0 as *mut u32) };
    let half = unsafe { (*(p.0 as *const AtomicU16)).load(Ordering::Relaxed) };
    println!("atomic: {v} {half}");
    drop(unsafe { Box::from_raw(p.0) });
}

fn free_after_join() {
    let layout = Layout::new::<u64>();
    let p = SendPtr(unsafe { alloc(layout) } as *mut u64);
    unsafe { p.0.write(5) };
    let t = thread::spawn(move || {
        let p = p;
        unsafe { p.0.read() }
    });
    let v = t.join().unwrap();
    unsafe { dealloc(p.0 as *mut u8, layout) };
    println!("dealloc: read {v} before the free");
}

fn main() {
    heap_writes_ordered_by_join();
    static_behind_a_mutex();
    stack_local_with_scoped_threads();
    release_acquire_flag();
    atomic_then_non_atomic_after_join();
    free_after_join();
}
