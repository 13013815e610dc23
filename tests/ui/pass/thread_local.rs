// thread_local! on the main thread only: Cell and RefCell thread locals, with(), set/get/take/replace helpers,
// const-initialized thread locals, lazily initialized ones (initializer side effect printed once), a Drop type.
use std::cell::{Cell, RefCell};

struct Tracker(&'static str);
impl Drop for Tracker {
    fn drop(&mut self) {
        // thread-local destructors run at thread exit; for the main thread they may not run, so print nothing
        let _ = self.0;
    }
}

thread_local! {
    static COUNT: Cell<u32> = Cell::new(0);
    static LOG: RefCell<Vec<String>> = RefCell::new(Vec::new());
    static CONST_INIT: Cell<u64> = const { Cell::new(7) };
    static LAZY: RefCell<String> = {
        println!("initializing LAZY");
        RefCell::new(String::from("lazy"))
    };
    static TRACK: Tracker = Tracker("main");
}

fn log(msg: &str) {
    COUNT.with(|c| c.set(c.get() + 1));
    LOG.with(|l| l.borrow_mut().push(format!("{}:{}", COUNT.get(), msg)));
}

fn main() {
    println!("before any access");
    log("start");
    log("middle");
    log("end");
    println!("count {}", COUNT.with(|c| c.get()));
    LOG.with_borrow(|l| println!("log {:?}", l));
    LOG.with_borrow_mut(|l| l.retain(|s| !s.contains("middle")));
    println!("log len after retain {}", LOG.with_borrow(|l| l.len()));
    println!("const init {}", CONST_INIT.get());
    CONST_INIT.set(99);
    println!("replaced old {} now {}", CONST_INIT.replace(5), CONST_INIT.get());
    println!("take {} after {}", CONST_INIT.take(), CONST_INIT.get());
    println!("lazy not yet touched");
    LAZY.with(|s| s.borrow_mut().push_str("-touched"));
    LAZY.with(|s| println!("lazy value {}", s.borrow()));
    println!("lazy replace {:?}", LAZY.replace(String::from("new")));
    println!("lazy take {:?}", LAZY.take());
    TRACK.with(|t| println!("tracker {}", t.0));
    let total: u32 = (0..100).map(|i| {
        COUNT.with(|c| {
            c.set(c.get() + i);
            c.get()
        })
    }).last().unwrap();
    println!("total {}", total);
}
