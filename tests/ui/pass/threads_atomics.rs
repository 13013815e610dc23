// Atomic operations across threads: every fetch_* operation, swap, compare_exchange (strong and
// weak, in a retry loop), fetch_update, fences and AtomicPtr, on several sizes; results are
// deterministic (commutative updates, or checked invariants).
use std::sync::atomic::*;
use std::sync::Arc;
use std::thread;

fn main() {
    let counters = Arc::new((AtomicU8::new(0), AtomicI16::new(0), AtomicU32::new(0), AtomicI64::new(0), AtomicUsize::new(0)));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let c = Arc::clone(&counters);
            thread::spawn(move || {
                for k in 0..10 {
                    c.0.fetch_add(1, Ordering::Relaxed);
                    c.1.fetch_sub(2, Ordering::AcqRel);
                    c.2.fetch_or(1 << (i * 4 + k % 4), Ordering::SeqCst);
                    c.3.fetch_max(i * 100 + k, Ordering::Release);
                    // A weak compare-exchange may fail spuriously: retry.
                    let mut cur = c.4.load(Ordering::Relaxed);
                    while let Err(now) = c.4.compare_exchange_weak(cur, cur + 3, Ordering::AcqRel, Ordering::Relaxed) {
                        cur = now;
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let c = &*counters;
    println!("u8 add {} i16 sub {} u32 or {:#x} i64 max {} usize cas {}", c.0.load(Ordering::SeqCst), c.1.load(Ordering::SeqCst), c.2.load(Ordering::SeqCst), c.3.load(Ordering::SeqCst), c.4.load(Ordering::SeqCst));

    let x = AtomicU64::new(0b1100);
    println!("and {} nand {} xor {}", x.fetch_and(0b1010, Ordering::SeqCst), x.fetch_nand(0b0110, Ordering::SeqCst), x.fetch_xor(u64::MAX, Ordering::SeqCst));
    println!("after bit ops {}", x.load(Ordering::SeqCst));
    let y = AtomicI32::new(-5);
    println!("min {} max {} swap {}", y.fetch_min(-9, Ordering::SeqCst), y.fetch_max(3, Ordering::SeqCst), y.swap(11, Ordering::SeqCst));
    println!("update {:?} then {}", y.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| (v < 20).then_some(v * 2)), y.load(Ordering::SeqCst));
    println!("strong cas fails with {:?}", y.compare_exchange(0, 1, Ordering::SeqCst, Ordering::Acquire));
    let flag = AtomicBool::new(false);
    println!("bool or {} and {} not {} now {}", flag.fetch_or(true, Ordering::SeqCst), flag.fetch_and(true, Ordering::SeqCst), flag.fetch_not(Ordering::SeqCst), flag.load(Ordering::SeqCst));

    // Message passing through an AtomicPtr with release/acquire and fences.
    let slot = Arc::new(AtomicPtr::<String>::new(std::ptr::null_mut()));
    let s2 = Arc::clone(&slot);
    let t = thread::spawn(move || {
        let b = Box::into_raw(Box::new(String::from("sent through an AtomicPtr")));
        fence(Ordering::Release);
        s2.store(b, Ordering::Relaxed);
    });
    let p = loop {
        let p = slot.load(Ordering::Relaxed);
        if !p.is_null() {
            break p;
        }
        thread::yield_now();
    };
    fence(Ordering::Acquire);
    let s = unsafe { Box::from_raw(p) };
    println!("{s}");
    t.join().unwrap();
    compiler_fence(Ordering::SeqCst);
}
