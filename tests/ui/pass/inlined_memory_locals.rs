// Small functions whose locals live in memory (their address is taken) behave as called ones
// when Vigil inlines them: a parameter read through a reference to it, a local with storage
// markers in a block, one such function inside another (both inlined, the inner one's code
// moved by the outer one's frees at its return), a panic raised while such a local is live
// (its allocation freed on the way out, the panic caught), and thousands of calls in a loop
// (each frees what it allocated). Twins: tests/ui/fail/inlined_memory_local_*.rs.
use std::panic;

fn peek(x: u64) -> u64 {
    let r = &x;
    *r + 1
}

fn min_of(a: u64, b: u64) -> u64 {
    a.min(b)
}

fn scoped(v: u64) -> u64 {
    let mut total = v;
    {
        let t = v * 3;
        let p = &t as *const u64;
        total += unsafe { *p };
    }
    total
}

fn outer(a: u64, b: u64) -> u64 {
    let s = peek(a);
    let r = &s;
    *r + scoped(b)
}

fn checked(x: u64, fail: bool) -> u64 {
    let r = &x;
    if fail {
        panic!("checked failed with {}", *r);
    }
    *r
}

fn main() {
    let mut sum = 0u64;
    for i in 0..3_000u64 {
        sum = sum.wrapping_add(peek(i) ^ min_of(i, 1_500) ^ outer(i, i + 1));
    }
    println!("sum {sum}");
    println!("scoped {}", scoped(7));
    panic::set_hook(Box::new(|_| {}));
    let caught = panic::catch_unwind(|| checked(5, true));
    println!("caught {}", caught.is_err());
    println!("after {}", checked(9, false));
}
