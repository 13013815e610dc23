// Twin of tests/ui/fail/vtable_wrong_*: vtables used for their own traits: upcasts to the first
// and to later supertraits (and through several levels), auto traits added and removed,
// `dyn Any` downcasts, a trait with an associated type, generic traits, and a raw wide pointer
// that keeps its vtable.
use std::any::Any;
use std::fmt::Debug;

trait Named {
    fn name(&self) -> String;
}
trait Counted {
    fn count(&self) -> usize;
}
trait Both: Named + Counted {
    fn both(&self) -> String {
        format!("{}:{}", self.name(), self.count())
    }
}

impl Named for Vec<u8> {
    fn name(&self) -> String {
        "bytes".to_string()
    }
}
impl Counted for Vec<u8> {
    fn count(&self) -> usize {
        self.len()
    }
}
impl Both for Vec<u8> {}

trait Source {
    type Item;
    fn next_item(&mut self) -> Option<Self::Item>;
}
struct Countdown(u8);
impl Source for Countdown {
    type Item = u8;
    fn next_item(&mut self) -> Option<u8> {
        self.0 = self.0.checked_sub(1)?;
        Some(self.0)
    }
}

trait Convert<T> {
    fn convert(&self) -> T;
}
impl Convert<u32> for u8 {
    fn convert(&self) -> u32 {
        *self as u32 * 10
    }
}

fn main() {
    let v: Box<dyn Both> = Box::new(vec![1u8, 2, 3]);
    println!("{}", v.both());
    let n: &dyn Named = &*v;
    let c: &dyn Counted = &*v;
    println!("{} {}", n.name(), c.count());

    let d: &(dyn Debug + Send + Sync) = &5i32;
    let plain: &dyn Debug = d;
    let again: &(dyn Debug + Send) = unsafe { std::mem::transmute(plain) };
    println!("{plain:?} {again:?}");

    let any: Box<dyn Any> = Box::new(42u16);
    println!("{:?}", any.downcast_ref::<u16>());

    let mut src: Box<dyn Source<Item = u8>> = Box::new(Countdown(3));
    while let Some(i) = src.next_item() {
        print!("{i} ");
    }
    println!();

    let conv: &dyn Convert<u32> = &4u8;
    let raw = conv as *const dyn Convert<u32>;
    println!("{}", unsafe { (*raw).convert() });
}
