// Twin of tests/ui/fail/wide_reborrow_beyond_allocation.rs: reborrows through wide pointers
// (`&*r`, `&mut *r`, `&*p` of a raw pointer), which the interpreter takes apart from the
// general place path: slices, `str`, trait objects, with their lengths and vtables kept, and
// writes through a `&mut [T]` reborrow seen by the original.
use std::fmt::Debug;

trait Shape {
    fn area(&self) -> f64;
    fn grow(&mut self, by: f64);
}

#[derive(Debug)]
struct Square(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
    fn grow(&mut self, by: f64) {
        self.0 += by;
    }
}

fn sum(xs: &[u32]) -> u32 {
    let again: &[u32] = &*xs;
    again.iter().sum()
}

fn bump(xs: &mut [u32]) {
    let inner: &mut [u32] = &mut *xs;
    for x in inner.iter_mut() {
        *x += 1;
    }
}

fn shout(s: &str) -> String {
    let t: &str = &*s;
    t.to_uppercase()
}

fn show(v: &dyn Debug) -> String {
    let w: &dyn Debug = &*v;
    format!("{w:?}")
}

fn main() {
    let mut xs = vec![1u32, 2, 3, 4, 5];
    println!("sum {}", sum(&xs));
    bump(&mut xs);
    println!("bumped {:?} sum {}", xs, sum(&xs[1..4]));

    println!("{}", shout("wide pointers"));
    println!("{}", show(&Square(2.5)));

    let mut sq = Square(3.0);
    let s: &mut dyn Shape = &mut sq;
    let again: &mut dyn Shape = &mut *s;
    again.grow(1.0);
    println!("area {}", s.area());

    // Raw wide pointers: a slice, a `str` and a trait object.
    let raw: *const [u32] = &xs[..];
    let back: &[u32] = unsafe { &*raw };
    println!("raw slice {:?}", back);
    let text = String::from("raw str");
    let rs: *const str = text.as_str();
    let rback: &str = unsafe { &*rs };
    println!("{} ({} bytes)", rback, rback.len());
    let rd: *mut dyn Shape = &mut sq;
    let dback: &mut dyn Shape = unsafe { &mut *rd };
    dback.grow(0.5);
    println!("area {}", sq.area());

    // Empty slices and a slice of zero-sized values.
    let empty: &[u8] = &[];
    let e2: &[u8] = &*empty;
    let units = [(); 3];
    let u: &[()] = &units;
    let u2: &[()] = &*u;
    println!("lens {} {}", e2.len(), u2.len());
}
