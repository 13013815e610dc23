// A destructor that runs while one panic unwinds panics and catches a second one; the first panic
// then goes on unwinding to its own `catch_unwind`, with its own payload. (The hook is silenced:
// std prints a full native backtrace for a panic during a panic.)
use std::panic::{catch_unwind, resume_unwind};

struct CatchesInDrop(&'static str);

impl Drop for CatchesInDrop {
    fn drop(&mut self) {
        let inner = catch_unwind(|| panic!("inner panic in drop of {}", self.0));
        let msg = inner.unwrap_err().downcast::<String>().unwrap();
        println!("caught in drop: {msg}");
    }
}

fn outer() {
    let _a = CatchesInDrop("a");
    let _b = CatchesInDrop("b");
    resume_unwind(Box::new(42u32));
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let payload = catch_unwind(outer).unwrap_err();
    println!("outer payload: {}", payload.downcast::<u32>().unwrap());
    let again = catch_unwind(|| {
        let _c = CatchesInDrop("c");
        panic!("plain");
    });
    println!("second outer payload: {}", again.unwrap_err().downcast::<&str>().unwrap());
}
