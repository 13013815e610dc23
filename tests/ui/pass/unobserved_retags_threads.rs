// References passed straight into a method while other threads run (which keep the
// parent's tag only when the running thread's next preemption is further away than the
// callee's retag): two-phase `&mut` receivers (`v.push(x)`), a `&mut` of its own
// passed on (`r.push(x)`, `for` loops' `&mut iter`), shared receivers of atomics and a
// mutex, and threads that write memory beside what the others borrow. The output is
// native's under both models.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

struct Bag {
    items: Vec<u32>,
    total: u64,
}

impl Bag {
    fn put(&mut self, x: u32) {
        self.items.push(x);
        self.total += x as u64;
    }
}

/// Two halves of one allocation, each thread writing its own.
struct Halves {
    left: Counts,
    right: [u32; 4],
}

struct Counts([u32; 4]);

impl Counts {
    fn bump(&mut self, k: usize) {
        self.0[k % 4] += 1;
    }
}

fn fill(v: &mut Vec<u32>, n: u32) {
    for i in 0..n {
        let r = &mut *v;
        r.push(i * 3);
    }
}

fn main() {
    let hits = Arc::new(AtomicU64::new(0));
    let shared = Arc::new(Mutex::new(Vec::new()));
    let mut halves = Box::new(Halves { left: Counts([0; 4]), right: [0; 4] });
    let right = &raw mut halves.right;
    let right_addr = right as usize;
    let workers: Vec<_> = (0..3u32)
        .map(|w| {
            let (hits, shared) = (Arc::clone(&hits), Arc::clone(&shared));
            thread::spawn(move || {
                let mut v = Vec::new();
                let mut bag = Bag { items: Vec::new(), total: 0 };
                for i in 0..20u32 {
                    v.push(i + w);
                    let b = &mut bag;
                    b.put(i);
                    hits.fetch_add(1, Ordering::Relaxed);
                    shared.lock().unwrap().push(i * w);
                }
                fill(&mut v, 5);
                let mut sum = 0u64;
                for x in v.iter() {
                    sum += *x as u64;
                }
                sum + bag.total + bag.items.len() as u64
            })
        })
        .collect();
    // One more thread writes the right half while this one borrows the left.
    let writer = thread::spawn(move || {
        let right = right_addr as *mut [u32; 4];
        for k in 0..40 {
            unsafe { (*right)[k % 4] += 2 };
        }
    });
    for k in 0..40 {
        let h = &mut halves.left;
        h.bump(k);
    }
    let mut total = 0;
    for t in workers {
        total += t.join().unwrap();
    }
    writer.join().unwrap();
    let len = shared.lock().unwrap().len();
    println!("total {total} hits {} shared {len} halves {:?} {:?}", hits.load(Ordering::SeqCst), halves.left.0, halves.right);
}
