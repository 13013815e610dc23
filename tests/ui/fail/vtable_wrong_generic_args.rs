// A vtable is made for one instance of a generic trait: `Convert<u32>`'s vtable used as
// `Convert<i64>`'s is invalid.
#[allow(dead_code)]
trait Convert<T> {
    fn convert(&self) -> T;
}

impl Convert<u32> for u8 {
    fn convert(&self) -> u32 {
        *self as u32
    }
}

fn main() {
    let b: Box<dyn Convert<u32>> = Box::new(3u8);
    let _c: Box<dyn Convert<i64>> = unsafe { std::mem::transmute(b) }; //~ ERROR: wrong trait in wide pointer vtable
}
