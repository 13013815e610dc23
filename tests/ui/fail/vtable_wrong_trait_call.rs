//@compile-flags: -Zmiri-disable-validation
// With validation off, a `Box<dyn Walk>` transmuted to `Box<dyn Swim>` is only caught at the
// `dyn` call, which would call a method of the wrong trait.
#[allow(dead_code)]
trait Walk {
    fn walk(self: Box<Self>) -> u32;
}
trait Swim {
    fn swim(self: Box<Self>) -> u32;
}

impl Walk for u32 {
    fn walk(self: Box<Self>) -> u32 {
        *self
    }
}

fn main() {
    let w: Box<dyn Walk> = Box::new(1);
    let s: Box<dyn Swim> = unsafe { std::mem::transmute(w) };
    s.swim(); //~ ERROR: using vtable for `Walk` but `Swim` was expected
}
