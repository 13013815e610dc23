// std's synchronization primitives across threads, with deterministic output: Mutex, RwLock,
// Condvar, mpsc (unbounded, bounded, rendezvous), Barrier, OnceLock, LazyLock, park/unpark,
// thread::scope, Arc, named threads and thread-locals with destructors.
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, LazyLock, Mutex, OnceLock, RwLock};
use std::thread;

static INIT_COUNT: AtomicUsize = AtomicUsize::new(0);
static ONCE: OnceLock<String> = OnceLock::new();
static LAZY: LazyLock<Vec<u32>> = LazyLock::new(|| {
    INIT_COUNT.fetch_add(1, Ordering::SeqCst);
    (1..=4).collect()
});

struct Noisy(&'static str);
impl Drop for Noisy {
    fn drop(&mut self) {
        println!("thread-local of {} dropped", self.0);
    }
}

thread_local! {
    static LOG: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    static NOISY: RefCell<Option<Noisy>> = const { RefCell::new(None) };
}

fn mutex_and_condvar() {
    let pair = Arc::new((Mutex::new(Vec::new()), Condvar::new()));
    let hs: Vec<_> = (0..3)
        .map(|i| {
            let pair = Arc::clone(&pair);
            thread::spawn(move || {
                let (m, cv) = &*pair;
                m.lock().unwrap().push(i);
                cv.notify_all();
            })
        })
        .collect();
    let (m, cv) = &*pair;
    let mut v = m.lock().unwrap();
    while v.len() < 3 {
        v = cv.wait(v).unwrap();
    }
    v.sort();
    println!("condvar saw {:?}", *v);
    drop(v);
    for h in hs {
        h.join().unwrap();
    }
    println!("arc strong count back to {}", Arc::strong_count(&pair));
}

fn rwlock() {
    let lock = Arc::new(RwLock::new(10));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.read().unwrap())
        })
        .collect();
    *lock.write().unwrap() += 5;
    let seen: Vec<i32> = readers.into_iter().map(|h| h.join().unwrap()).collect();
    println!("rwlock readers saw 10 or 15: {}", seen.iter().all(|&v| v == 10 || v == 15));
    println!("rwlock final {}", *lock.read().unwrap());
}

fn channels() {
    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || {
            for j in 0..3 {
                tx.send(id * 10 + j).unwrap();
            }
        });
    }
    drop(tx);
    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    println!("unbounded {:?}", got);

    let (tx, rx) = mpsc::sync_channel(2);
    let producer = thread::spawn(move || {
        for i in 0..6 {
            tx.send(i).unwrap();
        }
    });
    let got: Vec<i32> = rx.iter().collect();
    producer.join().unwrap();
    println!("bounded {:?}", got);

    let (tx, rx) = mpsc::sync_channel(0);
    let t = thread::spawn(move || tx.send("rendezvous").unwrap());
    println!("{}", rx.recv().unwrap());
    t.join().unwrap();
}

fn barrier_once_lazy() {
    let barrier = Arc::new(Barrier::new(4));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let b = Arc::clone(&barrier);
            thread::spawn(move || {
                ONCE.get_or_init(|| "initialized once".to_string());
                let sum: u32 = LAZY.iter().sum();
                let leader = b.wait().is_leader();
                (i, sum, leader)
            })
        })
        .collect();
    let results: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    println!("barrier leaders: {}", results.iter().filter(|r| r.2).count());
    println!("lazy sums: {:?}, initialized {} time(s)", results.iter().map(|r| r.1).collect::<Vec<_>>(), INIT_COUNT.load(Ordering::SeqCst));
    println!("once: {}", ONCE.get().unwrap());
}

fn park_unpark() {
    let flag = Arc::new(AtomicUsize::new(0));
    let f2 = Arc::clone(&flag);
    let t = thread::spawn(move || {
        while f2.load(Ordering::Acquire) == 0 {
            thread::park();
        }
        "unparked"
    });
    flag.store(1, Ordering::Release);
    t.thread().unpark();
    println!("park: {}", t.join().unwrap());
}

fn names_and_thread_locals() {
    let h = thread::Builder::new()
        .name("worker-a".into())
        .spawn(|| {
            NOISY.with(|n| *n.borrow_mut() = Some(Noisy("worker-a")));
            LOG.with(|l| l.borrow_mut().extend([1, 2, 3]));
            let name = thread::current().name().map(str::to_string);
            (name, LOG.with(|l| l.borrow().len()))
        })
        .unwrap();
    println!("named thread: {:?}", h.join().unwrap());
    LOG.with(|l| l.borrow_mut().push(9));
    println!("main's own log: {:?}", LOG.with(|l| l.borrow().clone()));
    let scoped_total = thread::scope(|s| {
        let a = s.spawn(|| LOG.with(|l| l.borrow().len()));
        let b = s.spawn(|| 2);
        a.join().unwrap() + b.join().unwrap()
    });
    println!("scoped threads see their own (empty) thread-locals: {scoped_total}");
}

fn main() {
    mutex_and_condvar();
    rwlock();
    channels();
    barrier_once_lazy();
    park_unpark();
    names_and_thread_locals();
    println!("available_parallelism >= 1: {}", thread::available_parallelism().map(|n| n.get() >= 1).unwrap_or(false));
}
