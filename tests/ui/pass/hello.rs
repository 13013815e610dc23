// The smallest program: one line on stdout, one on stderr, exit code 0. The first program to bring up.
fn main() {
    println!("Hello, world!");
    eprintln!("Hello, stderr!");
}
