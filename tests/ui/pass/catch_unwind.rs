// Panics caught by std::panic::catch_unwind: the program continues; payloads downcast to &str and String;
// resume_unwind with a custom payload; drops run during unwinding; panic inside Drop-free nested frames;
// AssertUnwindSafe; a custom panic hook that prints to stdout, then the default hook restored.
use std::panic::{self, AssertUnwindSafe};

struct Guard(&'static str);
impl Drop for Guard {
    fn drop(&mut self) {
        println!("unwinding drop {}", self.0);
    }
}

fn describe(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        format!("&str payload: {}", s)
    } else if let Some(s) = p.downcast_ref::<String>() {
        format!("String payload: {}", s)
    } else if let Some(n) = p.downcast_ref::<i32>() {
        format!("i32 payload: {}", n)
    } else {
        "unknown payload".to_string()
    }
}

fn deep(n: u32, limit: u32) -> u32 {
    let _g = Guard(if n == 0 { "deep0" } else { "deep-n" });
    if n == limit {
        let v: Vec<u32> = Vec::new();
        return v[n as usize];
    }
    deep(n + 1, limit) + 1
}

fn main() {
    let r = panic::catch_unwind(|| 1 + 1);
    println!("no panic: {:?}", r);

    let r = panic::catch_unwind(|| {
        let _g = Guard("static-str");
        panic!("static message");
    });
    println!("{}", describe(&*r.unwrap_err()));

    let who = String::from("world");
    let r = panic::catch_unwind(|| {
        panic!("hello {} #{}", who, who.len());
    });
    println!("{}", describe(&*r.unwrap_err()));

    let r = panic::catch_unwind(|| deep(0, 2));
    println!("index panic: {}", describe(&*r.unwrap_err()));

    let r = panic::catch_unwind(|| {
        let x: Option<u8> = None;
        x.unwrap()
    });
    println!("unwrap: {}", describe(&*r.unwrap_err()));

    let mut counter = 0;
    let r = panic::catch_unwind(AssertUnwindSafe(|| {
        counter += 1;
        panic::resume_unwind(Box::new(42i32));
    }));
    println!("resume_unwind: {} counter {}", describe(&*r.unwrap_err()), counter);

    panic::set_hook(Box::new(|info| {
        let msg = info.payload().downcast_ref::<&str>().copied().unwrap_or("?");
        let loc = info.location().map(|l| l.line()).unwrap_or(0);
        println!("custom hook: '{}' at line {}", msg, loc);
    }));
    let r = panic::catch_unwind(|| {
        panic!("with hook");
    });
    println!("hooked: {}", r.is_err());
    let _ = panic::take_hook();
    let r = panic::catch_unwind(|| {
        let a = [1, 2, 3];
        let i = a.len() + std::env::args().count() * 0;
        a[i % 4] + a.iter().sum::<i32>()
    });
    println!("after restoring default hook: {}", describe(&*r.unwrap_err()));
    let nested = panic::catch_unwind(|| {
        let inner = panic::catch_unwind(|| panic!("inner"));
        println!("inner caught: {}", inner.is_err());
        panic!("outer {}", inner.is_err());
    });
    println!("outer: {}", describe(&*nested.unwrap_err()));
    let r = panic::catch_unwind(|| {
        let d = std::env::args().count() as i32 - 1;
        100 / d
    });
    println!("div by zero: {}", describe(&*r.unwrap_err()));
    let r = panic::catch_unwind(|| {
        let e: Result<u8, String> = Err("bad".into());
        e.expect("expecting")
    });
    println!("expect: {}", describe(&*r.unwrap_err()));
    println!("program continues to the end");
}
