// Arc on the main thread only: strong/weak counts, Weak upgrade after drop, make_mut copy-on-write, try_unwrap,
// get_mut, Arc<Mutex>/Arc<RwLock> without contention, atomics, drop order of Arc contents.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};

struct Loud(&'static str);
impl Drop for Loud {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

static DROPS: AtomicUsize = AtomicUsize::new(0);

struct Counted;
impl Drop for Counted {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

fn main() {
    let a = Arc::new(Loud("first"));
    let b = Arc::clone(&a);
    let w = Arc::downgrade(&a);
    println!("strong {} weak {} ptr_eq {}", Arc::strong_count(&a), Arc::weak_count(&a), Arc::ptr_eq(&a, &b));
    drop(a);
    println!("dropped a, upgrade ok {}", w.upgrade().is_some());
    drop(b);
    println!("dropped b, upgrade ok {} weak strong_count {}", w.upgrade().is_some(), w.strong_count());
    let empty: Weak<u8> = Weak::new();
    println!("Weak::new upgrade {:?}", empty.upgrade());

    let mut data = Arc::new(vec![1, 2, 3]);
    let snapshot = Arc::clone(&data);
    Arc::make_mut(&mut data).push(4);
    println!("make_mut cloned: {:?} vs {:?}", data, snapshot);
    println!("try_unwrap shared fails {}", Arc::try_unwrap(Arc::clone(&data)).is_err());
    println!("try_unwrap unique {:?}", Arc::try_unwrap(snapshot));
    println!("get_mut unique {:?}", Arc::get_mut(&mut data).map(|v| v.len()));
    let other = data.clone();
    println!("get_mut shared {:?}", Arc::get_mut(&mut data).is_some());
    drop(other);
    println!("into_inner {:?}", Arc::into_inner(data));

    let m = Arc::new(Mutex::new(0u64));
    for i in 0..4 {
        let m2 = Arc::clone(&m);
        *m2.lock().unwrap() += i * 10;
    }
    {
        let g = m.lock().unwrap();
        println!("try_lock while locked fails {}", m.try_lock().is_err());
        println!("mutex value {}", *g);
    }
    println!("mutex strong {}", Arc::strong_count(&m));

    let rw = Arc::new(RwLock::new(String::from("init")));
    {
        let r1 = rw.read().unwrap();
        let r2 = rw.read().unwrap();
        println!("readers {} {} try_write fails {}", *r1, r2.len(), rw.try_write().is_err());
    }
    rw.write().unwrap().push_str("+w");
    println!("rwlock {}", rw.read().unwrap());

    {
        let shared = Arc::new(vec![Counted, Counted, Counted]);
        let clones: Vec<_> = (0..5).map(|_| shared.clone()).collect();
        println!("clones {} strong {} drops so far {}", clones.len(), Arc::strong_count(&shared), DROPS.load(Ordering::SeqCst));
    }
    println!("drops after scope {}", DROPS.load(Ordering::SeqCst));
    let x = AtomicUsize::new(5);
    println!("swap {}", x.swap(7, Ordering::SeqCst));
    println!("cas {:?}", x.compare_exchange(7, 9, Ordering::SeqCst, Ordering::SeqCst));
    println!("cas {:?}", x.compare_exchange(7, 1, Ordering::SeqCst, Ordering::SeqCst));
    println!("fetch_add {} fetch_sub {} fetch_max {} now {}", x.fetch_add(3, Ordering::Relaxed), x.fetch_sub(1, Ordering::Relaxed), x.fetch_max(100, Ordering::Relaxed), x.load(Ordering::Relaxed));
    let dyn_arc: Arc<dyn Fn(i32) -> i32 + Send + Sync> = Arc::new(|x| x + 1);
    let d2 = dyn_arc.clone();
    println!("Arc<dyn Fn> {} {}", dyn_arc(1), d2(2));
    let s: Arc<str> = Arc::from("shared str");
    println!("Arc<str> {} len {}", s, s.len());
    let _keep = Arc::new(Loud("end-of-main"));
    let _keep2 = Arc::new(Loud("declared-last"));
    println!("end");
}
