// The pthread mutexes, rwlocks and condition variables that libraries call directly (glibc
// layouts, declared here without the libc crate): static initializers, mutex kinds (recursive,
// error-checking), trylock, rwlock sharing, condition variables with a monotonic-clock timeout.
use std::cell::UnsafeCell;
use std::sync::Arc;
use std::thread;

#[repr(C, align(8))]
struct Mutex(UnsafeCell<[u8; 40]>);
#[repr(C, align(8))]
struct RwLock(UnsafeCell<[u8; 56]>);
#[repr(C, align(8))]
struct Cond(UnsafeCell<[u8; 48]>);
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}
unsafe impl Sync for Mutex {}
unsafe impl Sync for RwLock {}
unsafe impl Sync for Cond {}

extern "C" {
    fn pthread_mutex_init(m: *mut u8, attr: *const u32) -> i32;
    fn pthread_mutex_lock(m: *mut u8) -> i32;
    fn pthread_mutex_trylock(m: *mut u8) -> i32;
    fn pthread_mutex_unlock(m: *mut u8) -> i32;
    fn pthread_mutex_destroy(m: *mut u8) -> i32;
    fn pthread_mutexattr_init(a: *mut u32) -> i32;
    fn pthread_mutexattr_settype(a: *mut u32, kind: i32) -> i32;
    fn pthread_mutexattr_destroy(a: *mut u32) -> i32;
    fn pthread_rwlock_rdlock(l: *mut u8) -> i32;
    fn pthread_rwlock_tryrdlock(l: *mut u8) -> i32;
    fn pthread_rwlock_wrlock(l: *mut u8) -> i32;
    fn pthread_rwlock_unlock(l: *mut u8) -> i32;
    fn pthread_cond_init(c: *mut u8, attr: *const u32) -> i32;
    fn pthread_cond_wait(c: *mut u8, m: *mut u8) -> i32;
    fn pthread_cond_timedwait(c: *mut u8, m: *mut u8, abstime: *const Timespec) -> i32;
    fn pthread_cond_signal(c: *mut u8) -> i32;
    fn pthread_cond_destroy(c: *mut u8) -> i32;
    fn pthread_condattr_init(a: *mut u32) -> i32;
    fn pthread_condattr_setclock(a: *mut u32, clock: i32) -> i32;
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

const RECURSIVE: i32 = 1;
const ERRORCHECK: i32 = 2;
const CLOCK_MONOTONIC: i32 = 1;

static COUNTER_LOCK: Mutex = Mutex(UnsafeCell::new([0; 40]));
struct Shared(UnsafeCell<u64>);
unsafe impl Sync for Shared {}
static COUNTER: Shared = Shared(UnsafeCell::new(0));
static TABLE_LOCK: RwLock = RwLock(UnsafeCell::new([0; 56]));
static TABLE: Shared = Shared(UnsafeCell::new(1));

fn m(x: &Mutex) -> *mut u8 {
    x.0.get().cast()
}

fn main() {
    unsafe {
        // A statically initialized mutex guarding a counter across threads.
        let hs: Vec<_> = (0..3)
            .map(|_| {
                thread::spawn(|| {
                    for _ in 0..10 {
                        assert_eq!(pthread_mutex_lock(m(&COUNTER_LOCK)), 0);
                        *COUNTER.0.get() += 1;
                        assert_eq!(pthread_mutex_unlock(m(&COUNTER_LOCK)), 0);
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        println!("counter {}", *COUNTER.0.get());

        // Kinds, chosen through an attribute.
        let mut attr = 0u32;
        pthread_mutexattr_init(&mut attr);
        pthread_mutexattr_settype(&mut attr, RECURSIVE);
        let rec = Mutex(UnsafeCell::new([0; 40]));
        pthread_mutex_init(m(&rec), &attr);
        println!("recursive: {} {} {} {}", pthread_mutex_lock(m(&rec)), pthread_mutex_lock(m(&rec)), pthread_mutex_unlock(m(&rec)), pthread_mutex_unlock(m(&rec)));
        pthread_mutexattr_settype(&mut attr, ERRORCHECK);
        let chk = Arc::new(Mutex(UnsafeCell::new([0; 40])));
        pthread_mutex_init(m(&chk), &attr);
        pthread_mutexattr_destroy(&mut attr);
        println!("errorcheck relock: {}", (pthread_mutex_lock(m(&chk)), pthread_mutex_lock(m(&chk))).1);
        let c2 = Arc::clone(&chk);
        let other = thread::spawn(move || (pthread_mutex_trylock(m(&c2)), pthread_mutex_unlock(m(&c2)))).join().unwrap();
        println!("errorcheck from another thread: trylock {} unlock {}", other.0, other.1);
        println!("unlock, destroy: {} {}", pthread_mutex_unlock(m(&chk)), pthread_mutex_destroy(m(&chk)));

        // An rwlock: readers share it; a reader cannot get in while a writer holds it.
        let l: *mut u8 = TABLE_LOCK.0.get().cast();
        pthread_rwlock_rdlock(l);
        let shared = thread::spawn(|| {
            let l: *mut u8 = TABLE_LOCK.0.get().cast();
            let r = pthread_rwlock_tryrdlock(l);
            let v = *TABLE.0.get();
            pthread_rwlock_unlock(l);
            (r, v)
        })
        .join()
        .unwrap();
        println!("second reader: {:?}", shared);
        pthread_rwlock_unlock(l);
        pthread_rwlock_wrlock(l);
        *TABLE.0.get() = 2;
        let blocked = thread::spawn(|| pthread_rwlock_tryrdlock(TABLE_LOCK.0.get().cast())).join().unwrap();
        pthread_rwlock_unlock(l);
        println!("reader while writing: {} (EBUSY), value now {}", blocked, *TABLE.0.get());

        // A condition variable: a consumer waits for a producer; a timed wait times out.
        struct Channel {
            lock: Mutex,
            cond: Cond,
            ready: UnsafeCell<bool>,
        }
        unsafe impl Sync for Channel {}
        let ch = Arc::new(Channel { lock: Mutex(UnsafeCell::new([0; 40])), cond: Cond(UnsafeCell::new([0; 48])), ready: UnsafeCell::new(false) });
        pthread_mutex_init(m(&ch.lock), std::ptr::null());
        pthread_cond_init(ch.cond.0.get().cast(), std::ptr::null());
        let ch2 = Arc::clone(&ch);
        let producer = thread::spawn(move || {
            pthread_mutex_lock(m(&ch2.lock));
            *ch2.ready.get() = true;
            pthread_cond_signal(ch2.cond.0.get().cast());
            pthread_mutex_unlock(m(&ch2.lock));
        });
        pthread_mutex_lock(m(&ch.lock));
        while !*ch.ready.get() {
            pthread_cond_wait(ch.cond.0.get().cast(), m(&ch.lock));
        }
        pthread_mutex_unlock(m(&ch.lock));
        producer.join().unwrap();
        println!("consumer saw the producer's signal");

        let mut cattr = 0u32;
        pthread_condattr_init(&mut cattr);
        pthread_condattr_setclock(&mut cattr, CLOCK_MONOTONIC);
        let timed = Cond(UnsafeCell::new([0; 48]));
        pthread_cond_init(timed.0.get().cast(), &cattr);
        let mut now = Timespec { sec: 0, nsec: 0 };
        clock_gettime(CLOCK_MONOTONIC, &mut now);
        let deadline = Timespec { sec: now.sec, nsec: now.nsec + 1_000_000 };
        let deadline = if deadline.nsec >= 1_000_000_000 { Timespec { sec: deadline.sec + 1, nsec: deadline.nsec - 1_000_000_000 } } else { deadline };
        pthread_mutex_lock(m(&ch.lock));
        let r = pthread_cond_timedwait(timed.0.get().cast(), m(&ch.lock), &deadline);
        pthread_mutex_unlock(m(&ch.lock));
        println!("timed wait: {r} (ETIMEDOUT)");
        pthread_cond_destroy(timed.0.get().cast());
    }
}
