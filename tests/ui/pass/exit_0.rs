// std::process::exit(0): the exit code is 0, output printed before the call appears, destructors do not run.
struct NotDropped;
impl Drop for NotDropped {
    fn drop(&mut self) {
        println!("this destructor must not run");
    }
}

fn main() {
    let _guard = NotDropped;
    let code: i32 = "0".parse().unwrap();
    println!("exiting with {}", code);
    eprintln!("stderr line before exit");
    std::process::exit(code);
}
