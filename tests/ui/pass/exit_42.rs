// std::process::exit(42): the exit code is 42, output printed before the call appears, destructors do not run.
struct NotDropped;
impl Drop for NotDropped {
    fn drop(&mut self) {
        println!("this destructor must not run");
    }
}

fn main() {
    let _guard = NotDropped;
    let code: i32 = "42".parse().unwrap();
    println!("exiting with {}", code);
    eprintln!("stderr line before exit");
    std::process::exit(code);
}
