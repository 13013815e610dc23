// `catch_unwind` with callbacks of the declared signature (the try callback returns
// normally), and std's `catch_unwind` (its own callbacks) catching a panic.
#![feature(core_intrinsics)]
#![allow(internal_features)]

fn body(data: *mut u8) {
    unsafe { *data += 1 };
}

fn on_panic(data: *mut u8, _payload: *mut u8) {
    unsafe { *data = 99 };
}

fn main() {
    let mut flag = 0u8;
    let a = unsafe { std::intrinsics::catch_unwind(body, &mut flag, on_panic) };
    println!("{a} {flag}");
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(|| -> u32 { std::panic::panic_any(41u32) });
    println!("{:?}", r.map_err(|e| *e.downcast::<u32>().unwrap()));
}
