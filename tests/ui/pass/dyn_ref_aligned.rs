// `&dyn Trait` references to over-aligned types, re-borrowed and passed around: their
// alignment comes from the vtable and is met.
#[repr(align(64))]
#[derive(Debug)]
#[allow(dead_code)]
struct Wide(u8);

#[derive(Debug)]
#[allow(dead_code)]
struct Narrow(u8);

fn show(items: &[&dyn std::fmt::Debug]) {
    for i in items {
        let again: &dyn std::fmt::Debug = &**i;
        println!("{again:?}");
    }
}

fn main() {
    let (w, n) = (Wide(1), Narrow(2));
    let boxed: Box<dyn std::fmt::Debug> = Box::new(Wide(3));
    show(&[&w, &n, &*boxed]);
}
