// Trait upcasting of a `dyn` that sits at the tail of a struct: `&Named<dyn Sub>` to
// `&Named<dyn Super>` picks the supertrait's vtable out of the subtrait's.
trait Super {
    fn name(&self) -> String;
}

trait Sub: Super {
    fn weight(&self) -> u32;
}

struct Apple;

impl Super for Apple {
    fn name(&self) -> String {
        "apple".into()
    }
}

impl Sub for Apple {
    fn weight(&self) -> u32 {
        180
    }
}

struct Named<T: ?Sized> {
    label: &'static str,
    inner: T,
}

fn show(n: &Named<dyn Super>) -> String {
    format!("{}: {}", n.label, n.inner.name())
}

fn main() {
    let sub: &Named<dyn Sub> = &Named { label: "fruit", inner: Apple };
    println!("{} weighs {}", sub.inner.name(), sub.inner.weight());
    let sup: &Named<dyn Super> = sub;
    println!("{}", show(sup));
    let boxed: Box<Named<dyn Sub>> = Box::new(Named { label: "boxed", inner: Apple });
    let boxed: Box<Named<dyn Super>> = boxed;
    println!("{}", show(&boxed));
}
