// Thread-local destructors run at thread exit, in the order std gives them, on spawned threads
// and on the main thread after `main` returns (as natively with glibc).
use std::cell::RefCell;
struct D(&'static str);
impl Drop for D {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}
thread_local! {
    static A: RefCell<Option<D>> = const { RefCell::new(None) };
    static B: RefCell<Option<D>> = const { RefCell::new(None) };
}
fn main() {
    A.with(|a| *a.borrow_mut() = Some(D("a")));
    B.with(|b| *b.borrow_mut() = Some(D("b")));
    std::thread::spawn(|| {
        A.with(|a| *a.borrow_mut() = Some(D("ta")));
        B.with(|b| *b.borrow_mut() = Some(D("tb")));
    })
    .join()
    .unwrap();
    println!("end of main");
}
