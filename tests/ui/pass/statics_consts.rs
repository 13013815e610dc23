// Statics and consts: static arrays and strings, static mut accessed through addr_of!/addr_of_mut! (no references),
// const fn evaluated at compile time and at run time, const arrays/structs, associated consts, static with interior
// mutability (atomics, Mutex), const generics expressions, statics containing references.
use std::ptr::{addr_of, addr_of_mut};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

const fn fib(n: u32) -> u64 {
    let mut a = 0u64;
    let mut b = 1u64;
    let mut i = 0;
    while i < n {
        let t = a + b;
        a = b;
        b = t;
        i += 1;
    }
    a
}

const fn make_table() -> [u32; 16] {
    let mut t = [0u32; 16];
    let mut i = 0;
    while i < 16 {
        t[i] = (i as u32) * (i as u32) + 1;
        i += 1;
    }
    t
}

#[derive(Debug)]
struct Config {
    name: &'static str,
    limits: [u16; 3],
    ratio: f32,
}

const FIB_40: u64 = fib(40);
const TABLE: [u32; 16] = make_table();
const CFG: Config = Config { name: "default", limits: [10, 20, 30], ratio: 0.75 };
static GREETING: &str = "hello from a static";
static PRIMES: [u32; 8] = [2, 3, 5, 7, 11, 13, 17, 19];
static NAMES: &[&str] = &["zero", "one", "two"];
static mut COUNTER: u32 = 0;
static mut LOG: [u8; 8] = [0; 8];
static HITS: AtomicU32 = AtomicU32::new(0);
static REGISTRY: Mutex<Vec<String>> = Mutex::new(Vec::new());
static CFG_REF: &Config = &CFG;

struct Limits;
impl Limits {
    const MAX: usize = 3 * 4;
    const NAMES: [&'static str; 2] = ["lo", "hi"];
}

fn bump() -> u32 {
    unsafe {
        let p = addr_of_mut!(COUNTER);
        *p += 1;
        let log = addr_of_mut!(LOG);
        let idx = (*p as usize - 1) % 8;
        (*log)[idx] = *p as u8 * 10;
        *p
    }
}

fn record(s: &str) {
    HITS.fetch_add(1, Ordering::Relaxed);
    REGISTRY.lock().unwrap().push(s.to_string());
}

fn sum_array<const N: usize>(a: [u32; N]) -> u32 {
    a.iter().sum()
}

fn main() {
    println!("FIB_40 {} fib(50) at runtime {}", FIB_40, fib(std::hint::black_box(50)));
    println!("TABLE {:?}", TABLE);
    println!("CFG {:?} name {}", CFG, CFG.name);
    println!("CFG_REF ratio {} limits sum {}", CFG_REF.ratio, CFG_REF.limits.iter().sum::<u16>());
    println!("{} ({} bytes)", GREETING, GREETING.len());
    println!("PRIMES {:?} sum {}", PRIMES, sum_array(PRIMES));
    println!("NAMES {:?} {}", NAMES, NAMES[2]);
    for _ in 0..10 {
        bump();
    }
    let (count, log) = unsafe { (*addr_of!(COUNTER), *addr_of!(LOG)) };
    println!("COUNTER {} LOG {:?}", count, log);
    record("a");
    record("b");
    println!("HITS {} REGISTRY {:?}", HITS.load(Ordering::Relaxed), REGISTRY.lock().unwrap());
    println!("assoc consts {} {:?}", Limits::MAX, Limits::NAMES);
    const LOCAL: [u8; 4] = *b"RUST";
    println!("local const {:?} {}", LOCAL, std::str::from_utf8(&LOCAL).unwrap());
    const SQ: [usize; 5] = {
        let mut a = [0; 5];
        let mut i = 0;
        while i < 5 {
            a[i] = i * i;
            i += 1;
        }
        a
    };
    println!("const block {:?}", SQ);
    let arr = [1u32; Limits::MAX];
    println!("array len from const {} sum {}", arr.len(), sum_array(arr));
    let p1 = &PRIMES[0] as *const u32;
    let p2 = &PRIMES[0] as *const u32;
    println!("same static address {}", p1 == p2);
    println!("const eval i32::MAX.count_ones {}", const { i32::MAX.count_ones() });
    println!("u64::MAX from const {}", const { u64::MAX / 3 });
}
