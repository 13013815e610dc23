// A shared reference derived from a `&mut`, then a read through the raw pointer the `&mut`
// came from, then a read through the shared reference: under Stacked Borrows the raw read
// disables the `&mut` but keeps the shared reference above it (reads disable only `Unique`
// items), so the program is fine. The shared reference's retag, which the lowering may make
// as just its read, is made in full when its parent may be `Unique`.
struct Pair {
    a: u64,
    b: u64,
}

impl Pair {
    fn a(&self) -> u64 {
        self.a
    }
}

fn main() {
    let mut x = 5i32;
    let raw = &mut x as *mut i32;
    let m = unsafe { &mut *raw };
    let r = &*m;
    let v = unsafe { *raw };
    let w = *r;
    let mut p = Pair { a: 1, b: 2 };
    let praw = &raw mut p;
    let pm = unsafe { &mut *praw };
    let shared = &*pm;
    let b = unsafe { (*praw).b };
    let a = shared.a();
    println!("{}", v + w + (a + b) as i32);
}
