// References whose retags nothing can observe (`elide.rs`: used only to read, or for a
// `&mut` only to access, in straight-line code, then dead): getters, comparisons, field
// references, slices and `str`s, in loops and across small inlined callees; and the same
// shapes with a raw pointer used after the reference is dead, which is allowed.
// Twins: tests/ui/fail/aliasing_write_while_shared_lives.rs, aliasing_getter_then_write.rs,
// aliasing_protected_shared_in_leaf.rs.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
struct Pair {
    a: u64,
    b: u64,
}

impl Pair {
    fn a(&self) -> u64 {
        self.a
    }

    fn sum(&self) -> u64 {
        self.a.wrapping_add(self.b)
    }

    fn bump(&mut self, by: u64) {
        self.b = self.b.wrapping_add(by);
    }
}

fn longest<'a>(a: &'a str, b: &'a str) -> usize {
    a.len().max(b.len())
}

fn first(s: &[u32]) -> u32 {
    s[0]
}

fn read_then_write(r: &u64, p: *mut u64) -> u64 {
    let a = *r;
    a.wrapping_mul(3).wrapping_add(unsafe { *p })
}

fn main() {
    let mut p = Pair { a: 1, b: 2 };
    let mut t = 0u64;
    for i in 0..1000u64 {
        t = t.wrapping_add(p.a()).wrapping_add(p.sum());
        p.bump(i);
        if p < (Pair { a: 1, b: 3 }) {
            t += 1;
        }
    }
    println!("{t} {} {}", p.a, p.b);

    // The shapes of the failing twins, with every use of the raw pointer after the
    // reference's last.
    let mut x = 1u64;
    let raw = &raw mut x;
    let r = unsafe { &*raw };
    let a = *r;
    unsafe { *raw = a + 1 };
    let mut q = Pair { a: 5, b: 6 };
    let raw_q = &raw mut q;
    let m = unsafe { &mut *raw_q };
    let v = m.a();
    m.a = v + 1;
    unsafe { (*raw_q).b = 3 };
    let y = read_then_write(unsafe { &*raw }, raw);
    println!("{} {} {} {y}", unsafe { *raw }, q.a, q.b);

    let words = ["alpha", "be", "gamma"];
    let nums = [7u32, 8, 9];
    let mut total = 0;
    for w in words {
        total += longest(w, "abc") + first(&nums[1..]) as usize;
    }
    println!("{total}");
}
