// Shared references read beside pointers that hold their parent's tag or its descendants
// (the lowering's "kin"): such reads cannot disable the parent, so the retags stay made as
// just their read. Each case is fine under both aliasing models; the last reads through a
// pointer that is no kin while the reference lives (`unobserved_retags_unique_parent` has
// the case where such a read disables the parent).
struct Pair {
    a: u64,
    b: u64,
}

impl Pair {
    // `Range::next`'s shape: two field references from `&mut self`, each read beside the other.
    fn less(&mut self) -> bool {
        let a = &self.a;
        let b = &self.b;
        *a < *b
    }

    fn bump(&mut self) {
        if self.less() {
            self.a += 1;
        }
    }
}

fn main() {
    let mut sum = 0u64;
    for i in 0..10u64 {
        sum += i;
    }
    let mut p = Pair { a: 1, b: 4 };
    for _ in 0..5 {
        p.bump();
    }

    // A read-only reborrow chain from a raw pointer, read through the raw pointer.
    let mut x = 7u64;
    let raw = &raw mut x;
    let s = unsafe { &*raw };
    let r = &*s;
    let v = unsafe { *raw };
    let w = *r + *s;

    // Sibling field references of one `&mut`, with a read through a pointer loaded from memory.
    let mut z = Pair { a: 10, b: 20 };
    let zraw = &raw mut z;
    let holder = [zraw];
    let zm = unsafe { &mut *zraw };
    let za = &zm.a;
    let zb = unsafe { (*holder[0]).b };
    let zc = *za;
    println!("{sum} {} {} {v} {w} {zb} {zc}", p.a, p.b);
}
