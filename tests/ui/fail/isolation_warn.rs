//@check-pass
//@compile-flags: -Zmiri-isolation-error=warn
// With `-Zmiri-isolation-error=warn` each refused call returns an error to the program and prints a warning
// with a backtrace. Twin: isolation_hide.rs (silently).
fn main() {
    for _ in 0..2 {
        let r = std::fs::read("Cargo.toml");
        println!("{:?}", r.map_err(|e| e.kind()));
    }
    println!("{:?}", std::env::current_dir().map_err(|e| e.kind()));
}
